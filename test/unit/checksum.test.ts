import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { transformSync } from "esbuild";
import ts from "typescript";
import { currentChecksums } from "../../src/migration/checksum-cache.js";
import { checksumOfSource, isLegacyChecksum, legacyChecksum, matchesBytes, matchesRecorded, sameCode } from "../../src/migration/checksum.js";
import { REPO_ROOT } from "../support/project.js";

/*
 * Canonical checksums (spec §2, §6): a `.ts` migration and the `.js` that tsc or esbuild
 * made from it have one checksum; a real edit to either form changes it. The compiled
 * forms below come from the real compilers, not from hand-written imitations.
 */

const MIGRATIONS: Record<string, string> = {
  named: `import { Migration } from "mortar";
import type { Blueprint } from "mortar";

// Creates the users table.
export default class CreateUsersTable extends Migration {
  static transaction = false;
  private readonly table: string = "users";

  async up(): Promise<void> {
    await this.schema.create(this.table, (table: Blueprint) => {
      table.increments("id");
      table.string("name");
      table.string("email").unique();
      table.timestamps();
    });
  }

  /** Drops it. */
  async down(): Promise<void> {
    await this.schema.drop(this.table);
  }
}
`,
  anonymous: `import { Migration, raw } from "mortar";
export default class extends Migration {
  async up(): Promise<void> {
    await this.schema.create("events", (t) => { t.increments("id"); t.timestamp("at").default(raw("CURRENT_TIMESTAMP")); });
  }
}
`,
  imports: `import { Migration } from "mortar";
import type { Database } from "mortar";
import { helper } from "some-lib";
import { other } from "./shared/other.js";
interface Row { a: number }
export default class AddRows extends Migration {
  async up() { const row: Row = { a: 1 }; await helper(this.db as unknown as Database, row, other); }
  async down() { await this.db.execute("delete from rows where a = ?", [1]); }
}
`,
};

const K = ts.ModuleKind;
const ES2022 = ts.ScriptTarget.ES2022;

/** What each compiler a user may run makes of `source`. */
function compiledForms(source: string): Record<string, string> {
  return {
    "tsc --module esnext": ts.transpileModule(source, { compilerOptions: { module: K.ESNext, target: ES2022 } }).outputText,
    "tsc --module nodenext (ESM package)": ts.transpileModule(source, { fileName: "m.mts", compilerOptions: { module: K.NodeNext, target: ES2022 } }).outputText,
    "tsc --module nodenext (CommonJS package)": ts.transpileModule(source, { fileName: "m.cts", compilerOptions: { module: K.NodeNext, target: ES2022 } }).outputText,
    "tsc --module commonjs": ts.transpileModule(source, { compilerOptions: { module: K.CommonJS, target: ES2022 } }).outputText,
    "tsc --module commonjs --esModuleInterop": ts.transpileModule(source, { compilerOptions: { module: K.CommonJS, target: ES2022, esModuleInterop: true } }).outputText,
    "tsc --target esnext --removeComments": ts.transpileModule(source, { compilerOptions: { module: K.ESNext, target: ts.ScriptTarget.ESNext, removeComments: true } }).outputText,
    "esbuild --format=esm": transformSync(source, { loader: "ts", format: "esm" }).code,
    "esbuild --format=cjs": transformSync(source, { loader: "ts", format: "cjs", platform: "node" }).code,
    "esbuild --minify-whitespace --minify-syntax": transformSync(source, { loader: "ts", format: "esm", minifyWhitespace: true, minifySyntax: true }).code,
  };
}

describe("canonical checksums", () => {
  for (const [name, source] of Object.entries(MIGRATIONS)) {
    test(`${name}: every compiled .js has the .ts checksum`, () => {
      const recorded = checksumOfSource(source, "m.ts");
      for (const [compiler, output] of Object.entries(compiledForms(source))) {
        assert.notEqual(output.trim(), source.trim(), `${compiler} changed something`);
        assert.ok(!matchesBytes(recorded, legacyChecksum(output)), "other bytes");
        assert.ok(sameCode(recorded, checksumOfSource(output, "m.js")), `${compiler}:\n${output}`);
        assert.ok(matchesRecorded(recorded, output, "m.js"), compiler);
      }
    });

    test(`${name}: a real edit changes the checksum of the .ts and of every compiled .js`, () => {
      const original = checksumOfSource(source, "m.ts");
      const edits = [
        source.replace(/"(users|events|delete from rows where a = \?)"/, '"$1_v2"'), // a changed string
        source.replace(/(increments|execute)\(/, (_m, method: string) => (method === "increments" ? "bigIncrements(" : "query(")), // a changed call
        source.replace(/async up\(\)(: Promise<void>)? \{/, "$& await this.db.execute(\"select 1\");"), // a statement added
      ];
      for (const edited of edits) {
        assert.notEqual(edited, source, "the edit applies");
        assert.ok(!matchesRecorded(original, edited, "m.ts"), `edited .ts:\n${edited}`);
        for (const [compiler, output] of Object.entries(compiledForms(edited))) {
          assert.ok(!matchesRecorded(original, output, "m.js"), `${compiler} of the edited file:\n${output}`);
        }
      }
    });
  }

  test("comments, formatting, type annotations and line endings are not edits", () => {
    const source = MIGRATIONS.named!;
    const expected = checksumOfSource(source, "m.ts");
    const same = [
      source.replace("// Creates the users table.", "// Creates the users table (reworded)."),
      source.replace(/\n {4}/g, "\n\t\t"),
      source.replace("private readonly table: string", "private table"),
      source.replace(/\n/g, "\r\n"),
      `\uFEFF${source}`,
    ];
    for (const variant of same) {
      assert.notEqual(variant, source, "the variant differs from the file");
      assert.ok(matchesRecorded(expected, variant, "m.ts"), variant);
    }
  });

  test("the checksum is versioned, fits the 64-character column, and a file that does not parse still gets one", () => {
    const checksum = checksumOfSource(MIGRATIONS.named!, "m.ts");
    assert.match(checksum, /^v2:[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/);
    assert.ok(checksum.length <= 64);
    assert.ok(!isLegacyChecksum(checksum));
    const broken = "export default class extends {";
    assert.match(checksumOfSource(broken, "m.ts"), /^v2:/);
    assert.ok(!matchesRecorded(checksumOfSource(broken, "m.ts"), `${broken} `, "m.ts"));
  });

  test("a checksum recorded by an earlier version (SHA-256 of the bytes) is compared the old way", () => {
    const source = MIGRATIONS.named!;
    const legacy = legacyChecksum(source);
    assert.ok(isLegacyChecksum(legacy));
    assert.ok(matchesRecorded(legacy, source, "m.ts"));
    assert.ok(matchesRecorded(legacy, source.replace(/\n/g, "\r\n"), "m.ts"), "line endings never counted");
    assert.ok(!matchesRecorded(legacy, source.replace("users", "people"), "m.ts"));
    assert.ok(matchesRecorded(checksumOfSource(source, "m.ts"), source, "m.ts"));
  });

  test("the real tsc binary's output (NodeNext, ES2022) in an ESM and a CommonJS package has the .ts checksum", () => {
    const dir = mkdtempSync(join(tmpdir(), "mortar-tsc-"));
    try {
      for (const type of ["module", "commonjs"]) {
        const project = join(dir, type);
        mkdirSync(project);
        writeFileSync(join(project, "package.json"), JSON.stringify({ type }));
        writeFileSync(join(project, "m.ts"), MIGRATIONS.named!);
        writeFileSync(join(project, "mortar.d.ts"), `declare module "mortar" { export class Migration { schema: any; db: any } export type Blueprint = any; }\n`);
        execFileSync(process.execPath, [join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "--module", "nodenext", "--target", "es2022", "--outDir", "out", "m.ts", "mortar.d.ts"], { cwd: project });
        const output = readFileSync(join(project, "out/m.js"), "utf8");
        assert.match(output, type === "module" ? /export default/ : /exports\.default/);
        assert.ok(matchesRecorded(checksumOfSource(MIGRATIONS.named!, "m.ts"), output, "m.js"), output);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the checksum cache", () => {
  test("verify reads every file: a same-size edit with its modification time restored is seen", () => {
    const project = mkdtempSync(join(tmpdir(), "mortar-verify-"));
    try {
      mkdirSync(join(project, "node_modules"));
      const folder = join(project, "migrations");
      mkdirSync(folder);
      const path = join(folder, "a.ts");
      const source = `export default class A { up() { return "alpha"; } }\n`;
      writeFileSync(path, source);
      // Whole milliseconds, so that restoring the time gives back the very same mtimeMs.
      const time = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
      utimesSync(path, time, time);
      const files = [{ name: "a", path }];
      const recorded = new Map([["a", checksumOfSource(source, path)]]);
      assert.equal(currentChecksums(folder, files, recorded).get("a"), recorded.get("a"));
      const edited = source.replace("alpha", "omega");
      assert.equal(edited.length, source.length);
      writeFileSync(path, edited);
      utimesSync(path, time, time);
      assert.equal(statSync(path).mtimeMs, time.getTime());
      // The premise: the time-and-size cache alone cannot see this edit.
      assert.equal(currentChecksums(folder, files, recorded).get("a"), recorded.get("a"));
      const verified = currentChecksums(folder, files, recorded, { verify: true }).get("a");
      assert.equal(verified, checksumOfSource(edited, path));
      assert.notEqual(verified, recorded.get("a"));
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  test("a file that matches its old-format record keeps that record; an edit does not", () => {
    const project = mkdtempSync(join(tmpdir(), "mortar-legacy-"));
    try {
      mkdirSync(join(project, "node_modules"));
      const folder = join(project, "migrations");
      mkdirSync(folder);
      const path = join(folder, "a.ts");
      const source = `export default class A { up() { return 1; } }\n`;
      writeFileSync(path, source);
      const files = [{ name: "a", path }];
      const recorded = new Map([["a", legacyChecksum(source)]]);
      for (const options of [{}, {}, { verify: true }]) {
        assert.equal(currentChecksums(folder, files, recorded, options).get("a"), legacyChecksum(source));
      }
      writeFileSync(path, source.replace("1", "22"));
      assert.equal(currentChecksums(folder, files, recorded).get("a"), checksumOfSource(source.replace("1", "22"), path));
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  test("a .ts recorded, then replaced by its compiled .js, keeps the record through both caches; an edit does not", () => {
    const project = mkdtempSync(join(tmpdir(), "mortar-compiled-"));
    try {
      mkdirSync(join(project, "node_modules"));
      const folder = join(project, "migrations");
      mkdirSync(folder);
      const source = MIGRATIONS.named!;
      const recorded = new Map([["m", checksumOfSource(source, "m.ts")]]);
      const path = join(folder, "m.js");
      const compiled = ts.transpileModule(source, { compilerOptions: { module: K.ESNext, target: ES2022 } }).outputText;
      writeFileSync(path, compiled);
      const files = [{ name: "m", path }];
      for (const options of [{}, {}, { verify: true }]) {
        assert.equal(currentChecksums(folder, files, recorded, options).get("m"), recorded.get("m"));
      }
      writeFileSync(path, compiled.replace('"email"', '"mail"'));
      const edited = currentChecksums(folder, files, recorded, { verify: true }).get("m");
      assert.notEqual(edited, recorded.get("m"));
      assert.equal(edited, checksumOfSource(compiled.replace('"email"', '"mail"'), path));
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
