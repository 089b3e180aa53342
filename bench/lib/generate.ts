import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dialectFor } from "../../src/dialect/connect.js";
import type { DialectName } from "../../src/dialect/dialect.js";
import { Blueprint } from "../../src/schema/blueprint.js";

/** `2026_01_01_000042_create_t_0042_table` */
export function migrationName(i: number): string {
  const n = String(i).padStart(4, "0");
  return `2026_01_01_${String(i).padStart(6, "0")}_create_t_${n}_table`;
}

export const tableName = (i: number) => `t_${String(i).padStart(4, "0")}`;

/**
 * The migrate-200 schema, one table per migration: an auto-increment id, a not-null
 * string, a unique string, a text, a boolean with a default, a foreign key to the
 * previous table with ON DELETE CASCADE, timestamps and an index.
 */
function defineTable(t: Blueprint, i: number): void {
  t.increments("id");
  t.string("name");
  t.string("email").unique();
  t.text("bio").nullable();
  t.boolean("active").default(true);
  if (i > 1) {
    t.integer("prev_id").unsigned().nullable();
    t.foreign("prev_id").references("id").on(tableName(i - 1)).onDelete("cascade");
  }
  t.timestamps();
  t.index("name");
}

export function mortarSource(i: number): string {
  const prev = i > 1
    ? `\n      t.integer("prev_id").unsigned().nullable();\n      t.foreign("prev_id").references("id").on("${tableName(i - 1)}").onDelete("cascade");`
    : "";
  return `import { Migration } from "mortar";

export default class CreateT${i} extends Migration {
  async up(): Promise<void> {
    await this.schema.create("${tableName(i)}", (t) => {
      t.increments("id");
      t.string("name");
      t.string("email").unique();
      t.text("bio").nullable();
      t.boolean("active").default(true);${prev}
      t.timestamps();
      t.index("name");
    });
  }

  async down(): Promise<void> {
    await this.schema.drop("${tableName(i)}");
  }
}
`;
}

export function knexSource(i: number): string {
  const prev = i > 1 ? `\n    t.integer("prev_id").unsigned().nullable().references("id").inTable("${tableName(i - 1)}").onDelete("CASCADE");` : "";
  return `exports.up = (knex) =>
  knex.schema.createTable("${tableName(i)}", (t) => {
    t.increments("id");
    t.string("name").notNullable();
    t.string("email").notNullable().unique();
    t.text("bio");
    t.boolean("active").notNullable().defaultTo(true);${prev}
    t.timestamps();
    t.index(["name"]);
  });

exports.down = (knex) => knex.schema.dropTable("${tableName(i)}");
`;
}

/** What Mortar's grammar sends for migration i, up and down: the floor replays exactly this. */
export function floorStatements(dialect: DialectName, i: number): { name: string; up: string[]; down: string[] } {
  const grammar = dialectFor(dialect).grammar;
  const blueprint = new Blueprint(tableName(i), "create", { maxIdentifierLength: grammar.maxIdentifierLength });
  defineTable(blueprint, i);
  const up = grammar.compile(blueprint.toCommands()).map((q) => q.sql);
  const down = grammar.compile([{ kind: "dropTable", table: tableName(i), ifExists: false }]).map((q) => q.sql);
  return { name: migrationName(i), up, down };
}

/** A user project with `count` Mortar migrations (TypeScript) and node_modules/mortar linked. */
export function writeMortarProject(dir: string, count: number, repoRoot: string, extension: "ts" | "js" = "ts"): void {
  mkdirSync(join(dir, "databases/migrations"), { recursive: true });
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "bench-app", private: true, type: "module" }));
  // Linked like `npm install mortar` would install it.
  if (!existsSync(join(dir, "node_modules/mortar"))) symlinkSync(repoRoot, join(dir, "node_modules/mortar"), "dir");
  for (let i = 1; i <= count; i++) writeFileSync(join(dir, `databases/migrations/${migrationName(i)}.${extension}`), mortarSource(i));
}

/** A knex project with the same schema in knex's syntax. */
export function writeKnexProject(dir: string, count: number, knexConfig: unknown, repoRoot: string): void {
  mkdirSync(join(dir, "migrations"), { recursive: true });
  // knex's CLI insists on a local knex: share this repository's dev dependency.
  if (!existsSync(join(dir, "node_modules"))) symlinkSync(join(repoRoot, "node_modules"), join(dir, "node_modules"), "dir");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "bench-knex", private: true, type: "commonjs" }));
  writeFileSync(join(dir, "knexfile.js"), `module.exports = ${JSON.stringify(knexConfig, null, 2)};\n`);
  for (let i = 1; i <= count; i++) writeFileSync(join(dir, `migrations/${migrationName(i)}.js`), knexSource(i));
}
