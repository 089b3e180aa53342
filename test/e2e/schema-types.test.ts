import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import type { DialectName } from "../../src/dialect/dialect.js";
import { migratedCodegenProject } from "../support/codegen-schema.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../support/databases.js";
import { REPO_ROOT, runNode, type TempProject } from "../support/project.js";

/**
 * `mortar schema:types` through the real binary on every dialect: the module compiles
 * under `tsc --strict`, Kysely-style use type-checks against it (local Selectable /
 * Insertable / Updateable written to Kysely's rules, so Kysely need not be installed),
 * wrong use is rejected on exactly the marked lines, and two runs give the same bytes.
 */

const TSC = join(dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin", "tsc");

/** Kysely's helpers, restated: how Kysely reads a ColumnType, Generated and `| null`. */
const KYSELY_LIKE = `import type { ColumnType, Database } from "./db.js";
type SelectType<T> = T extends ColumnType<infer S, any, any> ? S : T;
type InsertType<T> = T extends ColumnType<any, infer I, any> ? I : T;
type UpdateType<T> = T extends ColumnType<any, any, infer U> ? U : T;
type IfNullable<T, K> = undefined extends T ? K : null extends T ? K : never;
type IfNotNullable<T, K> = undefined extends T ? never : null extends T ? never : K;
type Selectable<R> = { [K in keyof R]: SelectType<R[K]> };
type Insertable<R> = { [K in keyof R as IfNotNullable<InsertType<R[K]>, K>]: InsertType<R[K]> } & {
  [K in keyof R as IfNullable<InsertType<R[K]>, K>]?: InsertType<R[K]>;
};
type Updateable<R> = { [K in keyof R]?: UpdateType<R[K]> };
declare function insertInto<T extends keyof Database>(table: T, row: Insertable<Database[T]>): void;
declare function selectFrom<T extends keyof Database>(table: T): Selectable<Database[T]>[];
declare function update<T extends keyof Database>(table: T, set: Updateable<Database[T]>): void;
const post = selectFrom("posts")[0]!;
const author = selectFrom("authors")[0]!;
`;

/** What each driver reads back, per dialect: the lines that differ between them. */
const READS: Record<DialectName, { id: string; price: string; stamp: string; flag: string; flagValue: string }> = {
  postgres: { id: "string", price: "string", stamp: "Date", flag: "boolean", flagValue: "true" },
  mysql: { id: "number", price: "string", stamp: "Date", flag: "number", flagValue: "true" },
  sqlite: { id: "number", price: "number", stamp: "string", flag: "number", flagValue: "1" },
};

function usage(dialect: DialectName): string {
  const r = READS[dialect];
  return `${KYSELY_LIKE}
insertInto("authors", { email: "ada@example.com" });
insertInto("authors", { email: "bo@example.com", "display name": null, is_admin: ${r.flagValue}, role: "it's", settings: '{"theme":"dark"}' });
insertInto("posts", { author_id: 1, title: "Hello", price: 9.5, uuid: "5f0c7a4e-8a3f-4d7e-9a59-1b2d7a1c9e10", status: "draft" });
insertInto("posts", { author_id: 1, editor_id: null, title: "Hi", price: 1, uuid: "u", status: "published", published_at: "2026-01-02 03:04:05", cover: Buffer.from("png") });
insertInto("profiles", { author_id: 1, bio: "Writes" });
update("posts", { status: "published", views: 10, body: null });
const id: ${r.id} = post.id;
const price: ${r.price} = post.price;
const created: ${r.stamp} | null = post.created_at;
const flag: ${r.flag} = author.is_admin;
const status: "draft" | "published" = post.status;
const role: "admin" | "editor" | "it's" = author.role;
const body: string | null = post.body;
const cover: Buffer | null = post.cover;
const name: string | null = author["display name"];
export { id, price, created, flag, status, role, body, cover, name };
`;
}

/** Each line marked \`// error\` must be rejected, and nothing else. */
function negative(dialect: DialectName): string {
  const r = READS[dialect];
  const wrongId = r.id === "string" ? "number" : "string";
  return `${KYSELY_LIKE}
insertInto("posts", { title: "No author", price: 1, uuid: "u", status: "draft" }); // error
insertInto("posts", { author_id: 1, title: "t", price: 1, uuid: "u", status: "archived" }); // error
insertInto("authors", { email: null }); // error
insertInto("migrations", {}); // error
insertInto("authors", { email: "x", settings: { theme: "dark" } }); // error
update("authors", { role: "boss" }); // error
const body: string = post.body; // error
const id: ${wrongId} = post.id; // error
const stamp: ${r.stamp === "Date" ? "string" : "Date"} | null = post.created_at; // error
const fine: string = post.title;
export { body, id, stamp, fine };
`;
}

const TSCONFIG = JSON.stringify({
  compilerOptions: {
    strict: true,
    noEmit: true,
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    types: ["node"],
    typeRoots: [join(REPO_ROOT, "node_modules", "@types")],
    skipLibCheck: true,
  },
  files: ["db.ts", "usage.ts"],
});

async function typeCheck(project: TempProject, file: string): Promise<{ code: number; output: string }> {
  project.write("tsconfig.json", TSCONFIG.replace('"usage.ts"', JSON.stringify(file)));
  const { code, stdout, stderr } = await runNode([TSC, "-p", "tsconfig.json", "--pretty", "false"], project.dir);
  return { code, output: stdout + stderr };
}

function errorLines(output: string, file: string): number[] {
  const lines = new Set<number>();
  for (const match of output.matchAll(/^(.+?)\((\d+),\d+\): error TS\d+/gm)) if (match[1]!.endsWith(file)) lines.add(Number(match[2]));
  return [...lines].sort((a, b) => a - b);
}

function markedLines(source: string): number[] {
  return source.split("\n").flatMap((line, index) => (line.trimEnd().endsWith("// error") ? [index + 1] : []));
}

/** Lines of the module that say how each driver reads a column, per dialect. */
const EXPECTED_LINES: Record<DialectName, readonly RegExp[]> = {
  postgres: [/^  id: Generated<Int8>;$/m, /^  price: Numeric;$/m, /^  views: Generated<Int8>;$/m, /^  is_admin: Generated<boolean>;$/m, /^  settings: Json \| null;$/m, /^  created_at: Timestamp \| null;$/m, /^  published_on: Timestamp \| null;$/m, /^export type Json = ColumnType<unknown, string, string>;$/m],
  mysql: [/^  id: Generated<number>;$/m, /^  price: Numeric;$/m, /^  views: Generated<number>;$/m, /^  is_admin: Generated<Flag>;$/m, /^  settings: Json \| null;$/m, /^  created_at: Timestamp \| null;$/m],
  sqlite: [/^  id: Generated<number>;$/m, /^  price: number;$/m, /^  views: Generated<number>;$/m, /^  is_admin: Generated<number>;$/m, /^  settings: string \| null;$/m, /^  created_at: string \| null;$/m],
};

const COMMON_LINES: readonly RegExp[] = [
  /^  status: "draft" \| "published";$/m,
  /^  role: Generated<"admin" \| "editor" \| "it's">;$/m,
  /^  "display name": string \| null;$/m,
  /^  editor_id: .+ \| null;$/m,
  /^  cover: Buffer \| null;$/m,
  /^  \/\*\* Shown on the author page \*\/\n  bio: string;$/m,
  /^export interface Database \{\n  authors: Authors;\n  posts: Posts;\n  profiles: Profiles;\n\}\n$/m,
];

for (const dialect of DIALECTS) {
  describe(`schema:types on ${dialect}`, () => {
    test("the module maps every column, compiles under --strict, and Kysely-style use type-checks; wrong use does not", async () => {
      const database = await createTestDatabase(dialect);
      const project = await migratedCodegenProject(database).catch(async (error) => {
        await database.drop();
        throw error;
      });
      try {
        const first = await project.mortar(["schema:types", "--out", "db.ts"], database.env);
        assert.equal(first.code, 0, first.stderr);
        assert.match(first.stdout, /Types written to db\.ts/);
        const module = readFileSync(join(project.dir, "db.ts"), "utf8");
        for (const line of [...COMMON_LINES, ...EXPECTED_LINES[dialect]]) assert.match(module, line);
        assert.doesNotMatch(module, /migrations/, "the tracking table is left out");

        // Deterministic: standard output of a second run is the same bytes; the file is left as it was.
        const second = await project.mortar(["schema:types"], database.env);
        assert.equal(second.code, 0, second.stderr);
        assert.equal(second.stdout, module);
        const third = await project.mortar(["schema:types", "--out", "db.ts"], database.env);
        assert.match(third.stdout, /Types unchanged: db\.ts/);

        project.write("usage.ts", usage(dialect));
        const good = await typeCheck(project, "usage.ts");
        assert.equal(good.code, 0, `usage.ts must type-check:\n${good.output}\n${module}`);

        const wrong = negative(dialect);
        project.write("negative.ts", wrong);
        const bad = await typeCheck(project, "negative.ts");
        assert.notEqual(bad.code, 0);
        assert.deepEqual(errorLines(bad.output, "negative.ts"), markedLines(wrong), `errors must fall on the marked lines:\n${bad.output}`);
      } finally {
        project.cleanup();
        await database.drop();
      }
    });
  });
}

/**
 * The type table measured: a row written and read back through each dialect's driver
 * with its default settings (what an application gets), each value checked against the
 * select type the module gives its column.
 */
const ROW_COLUMNS = {
  authors: ["email", "settings", "created_at"],
  posts: ["author_id", "editor_id", "title", "body", "price", "score", "uuid", "cover", "published_on", "status", "published_at", "created_at"],
} as const;

function rowValues(): Record<string, readonly unknown[]> {
  return {
    authors: ["ada@example.com", '{"theme":"dark"}', "2026-01-02 03:04:05"],
    posts: [1, 1, "Hello", "Body", 9.5, 1.5, "5f0c7a4e-8a3f-4d7e-9a59-1b2d7a1c9e10", Buffer.from("png"), "2026-01-02", "draft", "2026-01-02 03:04:05", "2026-01-02 03:04:05"],
  };
}

/** The JavaScript kind a value of this select type has: `typeof`, or a class name. */
function expectedKind(expression: string): string {
  const base = expression.replace(/^Generated<(.*)>$/, "$1").replace(/ \| null$/, "");
  if (/^"/.test(base)) return "string";
  const kinds: Record<string, string> = { number: "number", string: "string", boolean: "boolean", Buffer: "Buffer", Int8: "string", Numeric: "string", Timestamp: "Date", Flag: "number", Json: "object" };
  const kind = kinds[base];
  if (!kind) throw new Error(`no runtime kind for ${expression}`);
  return kind;
}

function kindOf(value: unknown): string {
  if (value instanceof Date) return "Date";
  if (Buffer.isBuffer(value)) return "Buffer";
  return typeof value;
}

function columnTypes(module: string, name: string): Map<string, string> {
  const body = new RegExp(`export interface ${name} \\{\\n([\\s\\S]*?)\\n\\}`).exec(module)![1]!;
  return new Map([...body.matchAll(/^ {2}"?([^":]+)"?: (.+);$/gm)].map((m) => [m[1]!, m[2]!]));
}

type RawRead = (table: string, columns: readonly string[], values: readonly unknown[]) => Promise<Record<string, unknown>>;

/** Insert and read back through the raw driver, default settings. */
async function rawDriver(database: TestDatabase): Promise<{ read: RawRead; close(): Promise<void> }> {
  const config = database.config;
  if (database.dialect === "postgres") {
    const pg = (await import("pg")).default;
    const client = new pg.Client({ host: config.host, port: Number(config.port), user: config.username, database: config.database });
    await client.connect();
    return {
      read: async (table, columns, values) => {
        const names = columns.map((c) => `"${c}"`).join(", ");
        await client.query(`insert into "${table}" (${names}) values (${columns.map((_, i) => `$${i + 1}`).join(", ")})`, [...values]);
        return (await client.query(`select * from "${table}"`)).rows[0] as Record<string, unknown>;
      },
      close: () => client.end(),
    };
  }
  if (database.dialect === "mysql") {
    const mysql = await import("mysql2/promise");
    const connection = await mysql.createConnection({ host: config.host, port: Number(config.port), user: config.username, database: config.database });
    return {
      read: async (table, columns, values) => {
        await connection.query(`insert into \`${table}\` (${columns.map((c) => `\`${c}\``).join(", ")}) values (${columns.map(() => "?").join(", ")})`, [...values]);
        const [rows] = await connection.query(`select * from \`${table}\``);
        return (rows as Record<string, unknown>[])[0]!;
      },
      close: () => connection.end(),
    };
  }
  const Sqlite = (await import("better-sqlite3")).default;
  const sqlite = new Sqlite(config.database!);
  return {
    read: async (table, columns, values) => {
      sqlite.prepare(`insert into "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) values (${columns.map(() => "?").join(", ")})`).run(...values);
      return sqlite.prepare(`select * from "${table}"`).get() as Record<string, unknown>;
    },
    close: async () => void sqlite.close(),
  };
}

for (const dialect of DIALECTS) {
  test(`schema:types on ${dialect}: the driver's default reads have the types the module gives`, async () => {
    const database = await createTestDatabase(dialect);
    const project = await migratedCodegenProject(database).catch(async (error) => {
      await database.drop();
      throw error;
    });
    const driver = await rawDriver(database);
    try {
      const generated = await project.mortar(["schema:types"], database.env);
      assert.equal(generated.code, 0, generated.stderr);
      const values = rowValues();
      for (const [table, name] of [["authors", "Authors"], ["posts", "Posts"]] as const) {
        const row = await driver.read(table, ROW_COLUMNS[table], values[table]!);
        const types = columnTypes(generated.stdout, name);
        assert.deepEqual([...types.keys()].sort(), Object.keys(row).sort(), `${table}: every column is typed`);
        for (const [column, value] of Object.entries(row)) {
          if (value === null) {
            assert.match(types.get(column)!, /\| null>?$/, `${table}.${column} is null, so its type must allow null`);
            continue;
          }
          assert.equal(kindOf(value), expectedKind(types.get(column)!), `${table}.${column}: read ${JSON.stringify(value)}, typed ${types.get(column)}`);
        }
      }
    } finally {
      await driver.close();
      project.cleanup();
      await database.drop();
    }
  });
}
