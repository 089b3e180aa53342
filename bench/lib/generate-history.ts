import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { mortarSource, tableName, writeMortarProject } from "./generate.js";

/** Migrations per table: its create (migrate-200's) and then the alters below. */
const PER_TABLE = 5;

/**
 * The alters a table goes through after its create, as a project's history does:
 * a column and its index added, a column renamed, a column's type changed (a table
 * rebuild on SQLite), a nullable unique column added. Each its own migration.
 */
const ALTERS: readonly { readonly name: string; readonly up: string; readonly down: string }[] = [
  {
    name: "add_score",
    up: `t.integer("score").default(0);\n      t.index("score");`,
    down: `t.dropIndex(["score"]);\n      t.dropColumn("score");`,
  },
  { name: "rename_bio", up: `t.renameColumn("bio", "about");`, down: `t.renameColumn("about", "bio");` },
  { name: "change_name", up: `t.string("name", 100).nullable().change();`, down: `t.string("name").change();` },
  { name: "add_slug", up: `t.string("slug").nullable().unique();`, down: `t.dropUnique(["slug"]);\n      t.dropColumn("slug");` },
];

function alterSource(table: string, alter: (typeof ALTERS)[number]): string {
  return `import { Migration } from "mortar";

export default class extends Migration {
  async up(): Promise<void> {
    await this.schema.table("${table}", (t) => {
      ${alter.up}
    });
  }

  async down(): Promise<void> {
    await this.schema.table("${table}", (t) => {
      ${alter.down}
    });
  }
}
`;
}

/**
 * A project of `count` migrations shaped like a history rather than a list of creates:
 * count / 5 tables, each created by migrate-200's migration and then altered four times
 * (ALTERS), the alters interleaved with later creates as real projects are.
 */
export function writeHistoryProject(dir: string, count: number, repoRoot: string): void {
  writeMortarProject(dir, 0, repoRoot);
  const tables = Math.ceil(count / PER_TABLE);
  let seq = 0;
  const write = (name: string, source: string) => {
    if (seq >= count) return;
    seq += 1;
    writeFileSync(join(dir, "databases/migrations", `2026_01_01_${String(seq).padStart(6, "0")}_${name}.ts`), source);
  };
  // Table j is created, then altered once while each of the next four tables is created.
  for (let j = 1; j <= tables + ALTERS.length; j++) {
    if (j <= tables) write(`create_${tableName(j)}_table`, mortarSource(j));
    for (let k = 0; k < ALTERS.length; k++) {
      const target = j - k;
      if (target >= 1 && target <= tables) write(`${ALTERS[k]!.name}_on_${tableName(target)}`, alterSource(tableName(target), ALTERS[k]!));
    }
  }
}
