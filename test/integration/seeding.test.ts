import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { connect } from "../../src/dialect/connect.js";
import { UsageError } from "../../src/errors.js";
import { seed } from "../../src/seeding/seed.js";
import { SeederFailedError, SeederFileError } from "../../src/seeding/seeder-errors.js";
import { tempDirMaker } from "../support/temp-dirs.js";

/** The library's seed() on an in-memory SQLite database: files loaded from a folder, one transaction. */

const tempDir = tempDirMaker("mortar-seed-");
const SEEDER = new URL("../../src/seeding/seeder.js", import.meta.url).href;

function seeders(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body.replaceAll('"mortar"', JSON.stringify(SEEDER)));
  return dir;
}

async function withMemory<T>(fn: (db: Awaited<ReturnType<typeof connect>>) => Promise<T>): Promise<T> {
  const db = await connect({ driver: "sqlite", database: ":memory:" });
  try {
    await db.execute("create table notes (body text not null)");
    return await fn(db);
  } finally {
    await db.close();
  }
}

const bodies = async (db: Awaited<ReturnType<typeof connect>>) => (await db.query<{ body: string }>("select body from notes order by rowid")).map((r) => r.body);

describe("seed()", () => {
  test("runs DatabaseSeeder and what it calls; a seeder's own transaction nests as a savepoint", async () => {
    const path = seeders({
      "DatabaseSeeder.mjs": `import { Seeder } from "mortar";
import Inner from "./Inner.mjs";
export default class DatabaseSeeder extends Seeder {
  async run() {
    await this.db.execute("insert into notes values ('outer')");
    await this.db.transaction(async () => { await this.db.execute("insert into notes values ('nested')"); });
    await this.call(Inner);
  }
}`,
      "Inner.mjs": `import { Seeder } from "mortar";
export default class Inner extends Seeder { async run() { await this.db.execute("insert into notes values ('inner')"); } }`,
    });
    await withMemory(async (db) => {
      const ended: string[] = [];
      const result = await seed(db, { path, onSeederEnd: (e) => ended.push(`${e.name}:${e.status}`) });
      assert.deepEqual(result.seeded, ["DatabaseSeeder", "Inner"]);
      assert.deepEqual(ended, ["Inner:DONE", "DatabaseSeeder:DONE"]);
      assert.deepEqual(await bodies(db), ["outer", "nested", "inner"]);
      assert.equal(db.inTransaction, false);
    });
  });

  test("call() with something that is not a Seeder fails naming the calling seeder, and rolls back", async () => {
    const path = seeders({
      "Caller.mjs": `import { Seeder } from "mortar";
export default class Caller extends Seeder {
  async run() {
    await this.db.execute("insert into notes values ('kept?')");
    await this.call([class NotASeeder {}]);
  }
}`,
    });
    await withMemory(async (db) => {
      await assert.rejects(
        seed(db, { path, seeder: "Caller" }),
        (e: unknown) => e instanceof SeederFailedError && e.seeder === "Caller" && /call\(\) takes seeder classes .*NotASeeder/.test(e.message),
      );
      assert.deepEqual(await bodies(db), []);
    });
  });

  test("a caller that catches a called seeder's failure goes on without that seeder's rows", async () => {
    const path = seeders({
      "Forgiving.mjs": `import { Seeder } from "mortar";
import Shaky from "./Shaky.mjs";
export default class Forgiving extends Seeder {
  async run() {
    await this.db.execute("insert into notes values ('before')");
    try { await this.call(Shaky); } catch (error) { if (error.seeder !== "Shaky") throw error; }
    await this.db.execute("insert into notes values ('after')");
  }
}`,
      "Shaky.mjs": `import { Seeder } from "mortar";
export default class Shaky extends Seeder {
  async run() { await this.db.execute("insert into notes values ('shaky')"); throw new Error("shaky"); }
}`,
    });
    await withMemory(async (db) => {
      const result = await seed(db, { path, seeder: "Forgiving" });
      assert.deepEqual(result.seeded, ["Forgiving", "Shaky"]);
      assert.deepEqual(await bodies(db), ["before", "after"]);
    });
  });

  test("missing file: UsageError before any transaction; no default export: SeederFileError naming the file", async () => {
    const path = seeders({ "Empty.mjs": "export const x = 1;\n" });
    await withMemory(async (db) => {
      await assert.rejects(seed(db, { path }), UsageError);
      await assert.rejects(seed(db, { path, seeder: "Empty" }), (e: unknown) => e instanceof SeederFileError && /Empty\.mjs: has no default export/.test(e.message));
      assert.equal(db.inTransaction, false);
    });
  });
});
