import { connect } from "../../src/dialect/connect.js";
import type { TestDatabase } from "./databases.js";
import type { TempProject } from "./project.js";

/** Shared by the concurrency and crash tests: numbered migrations, one table each. */

export const MIGRATIONS_DIR = "databases/migrations";

export const tableName = (i: number) => `t_${String(i).padStart(3, "0")}`;
export const migrationName = (i: number) => `2026_01_01_${String(i).padStart(6, "0")}_create_${tableName(i)}_table`;

export function migrationSource(i: number): string {
  const table = tableName(i);
  return `import { Migration } from "mortar";
export default class extends Migration {
  async up() {
    await this.schema.create("${table}", (t) => { t.increments("id"); t.string("name"); });
  }
  async down() { await this.schema.drop("${table}"); }
}
`;
}

/** Write migrations 1..count as plain ESM `.mjs` files; returns their names in order. */
export function writeNumberedMigrations(project: TempProject, count: number): string[] {
  const names: string[] = [];
  for (let i = 1; i <= count; i++) {
    project.write(`${MIGRATIONS_DIR}/${migrationName(i)}.mjs`, migrationSource(i));
    names.push(migrationName(i));
  }
  return names;
}

export interface DatabaseState {
  /** The `t_NNN` tables that exist. */
  readonly tables: string[];
  /** Tracking rows in id order (empty when the table does not exist yet). */
  readonly tracking: { migration: string; batch: number }[];
}

/** Read what is really in the database through a connection of the test's own. */
export async function readState(database: TestDatabase, trackingTable = "migrations"): Promise<DatabaseState> {
  const db = await connect(database.config);
  try {
    const all = await db.schema.getTables();
    const tables = all.filter((t) => /^t_\d{3}$/.test(t)).sort();
    const q = (name: string) => db.grammar.quoteIdentifier(name);
    const tracking = all.includes(trackingTable)
      ? (await db.read<{ migration: string; batch: number }>(`select ${q("migration")}, ${q("batch")} from ${q(trackingTable)} order by ${q("id")}`)).map((r) => ({
          migration: String(r.migration),
          batch: Number(r.batch),
        }))
      : [];
    return { tables, tracking };
  } finally {
    await db.close();
  }
}

/** Names that occur more than once. */
export function duplicates(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const name of names) (seen.has(name) ? twice : seen).add(name);
  return [...twice];
}

/** The migration names of the `... DONE` lines a run printed, in order. */
export function doneLines(stdout: string): string[] {
  return [...stdout.matchAll(/^\s+(\S+) \.+ \d+ms DONE$/gm)].map((m) => m[1]!);
}

/**
 * Wait until no other session is connected to the test database. After a client is
 * killed the server may still be finishing its last statement (even a COMMIT); the
 * state is only settled once the server has noticed the dead session. SQLite has no
 * server: the killed process's writes end with it.
 */
export async function waitForNoOtherSessions(database: TestDatabase, timeoutMs = 15_000): Promise<void> {
  if (database.dialect === "sqlite") return;
  const db = await connect(database.config);
  const name = database.config.database!;
  const sql =
    database.dialect === "postgres"
      ? "select count(*) as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()"
      : "select count(*) as n from information_schema.processlist where db = ? and id <> connection_id()";
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const [row] = await db.read<{ n: unknown }>(sql, [name]);
      if (Number(row?.n) === 0) return;
      if (Date.now() > deadline) throw new Error(`sessions of a killed mortar still open on ${database.dialect} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await db.close();
  }
}

/** A seeded pseudo-random generator (mulberry32): the same seed, the same kill moments. */
export function seededRandom(seed: number): { int(min: number, max: number): number } {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { int: (min, max) => min + Math.floor(next() * (max - min + 1)) };
}

export { sleep } from "../../src/util/sleep.js";

/** The marker a slow migration prints once it has created its table and starts to wait. */
export const SLOW_MARKER = "slow migration: table created, waiting";

/**
 * Migration `i` that creates its table, prints SLOW_MARKER and then waits
 * MORTAR_TEST_SLOW_MS milliseconds inside up(), holding the lock (and, where DDL is
 * transactional, an open transaction). The wait comes from the environment so the same
 * file (same checksum) runs fast when it is run again.
 */
export function slowMigrationSource(i: number): string {
  const table = tableName(i);
  return `import { Migration } from "mortar";
export default class extends Migration {
  async up() {
    await this.schema.create("${table}", (t) => { t.increments("id"); t.string("name"); });
    console.log(${JSON.stringify(SLOW_MARKER)});
    await new Promise((resolve) => setTimeout(resolve, Number(process.env.MORTAR_TEST_SLOW_MS ?? "0")));
  }
  async down() { await this.schema.drop("${table}"); }
}
`;
}
