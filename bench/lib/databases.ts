import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "../../src/dialect/connect.js";
import type { ConnectionConfig, DialectName } from "../../src/dialect/dialect.js";

/** One empty database for one contender, with the settings each tool wants. */
export interface BenchDatabase {
  readonly dialect: DialectName;
  /** Settings for Mortar's library API (seeding rows, untimed). */
  readonly config: ConnectionConfig;
  /** Environment for `mortar`. */
  readonly env: Record<string, string>;
  /** knexfile `module.exports`. */
  readonly knex: unknown;
  /** Driver options for the floor script. */
  readonly floor: unknown;
  /** Drop every table (between runs, untimed). */
  empty(): Promise<void>;
  drop(): Promise<void>;
}

const PG = { host: "127.0.0.1", port: 5432, user: "postgres" };
const MY = { host: "127.0.0.1", port: 3306, user: "root", password: "" };

export async function createBenchDatabase(dialect: DialectName, label: string): Promise<BenchDatabase> {
  const name = `mortar_bench_${label}_${process.pid}`;
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), `mortar-bench-${label}-`));
    const file = join(dir, "bench.sqlite");
    const config = { driver: "sqlite" as const, database: file };
    return {
      dialect,
      config,
      env: { DB_CONNECTION: "sqlite", DB_DATABASE: file },
      knex: { client: "better-sqlite3", connection: { filename: file }, useNullAsDefault: true },
      floor: { filename: file },
      empty: () => dropEverything(config),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const server = dialect === "postgres" ? { driver: dialect, ...PG, username: PG.user, database: "test" } : { driver: dialect, ...MY, username: MY.user, database: "test" };
  const admin = await connect(server);
  await admin.execute(`drop database if exists ${admin.grammar.quoteIdentifier(name)}`);
  await admin.execute(`create database ${admin.grammar.quoteIdentifier(name)}`);
  await admin.close();
  const config = { ...server, database: name };
  const base = dialect === "postgres" ? PG : MY;
  return {
    dialect,
    config,
    env: {
      DB_CONNECTION: dialect,
      DB_HOST: base.host,
      DB_PORT: String(base.port),
      DB_USERNAME: base.user,
      DB_PASSWORD: (base as { password?: string }).password ?? "",
      DB_DATABASE: name,
    },
    knex: { client: dialect === "postgres" ? "pg" : "mysql2", connection: { ...base, database: name } },
    floor: { ...base, database: name },
    empty: () => dropEverything(config),
    drop: async () => {
      const again = await connect(server);
      await again.execute(`drop database if exists ${again.grammar.quoteIdentifier(name)}`);
      await again.close();
    },
  };
}

async function dropEverything(config: Parameters<typeof connect>[0]): Promise<void> {
  const db = await connect(config);
  try {
    await db.schema.dropAllTablesAndViews();
  } finally {
    await db.close();
  }
}
