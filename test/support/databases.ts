import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { connect } from "../../src/dialect/connect.js";
import type { ConnectionConfig, DialectName } from "../../src/dialect/dialect.js";
import type { Database } from "../../src/dialect/database.js";

/** `DIALECTS=sqlite,postgres` narrows the suites; all three by default. */
export const DIALECTS: DialectName[] = (process.env.DIALECTS ?? "sqlite,postgres,mysql")
  .split(",")
  .map((d) => d.trim())
  .filter(Boolean) as DialectName[];

const SERVER: Record<"postgres" | "mysql", ConnectionConfig> = {
  postgres: { driver: "postgres", host: "127.0.0.1", port: 5432, username: "postgres", database: "test" },
  mysql: { driver: "mysql", host: "127.0.0.1", port: 3306, username: "root", password: "", database: "test" },
};

export interface TestDatabase {
  readonly dialect: DialectName;
  /** Settings for a fresh, empty database of its own. */
  readonly config: ConnectionConfig;
  /** Environment variables that point the `mortar` binary at it. */
  readonly env: Record<string, string>;
  drop(): Promise<void>;
}

/** A fresh empty database (a new PostgreSQL/MariaDB database or a new SQLite file). */
export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  const name = `mortar_t_${process.pid}_${randomBytes(4).toString("hex")}`;
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "mortar-test-"));
    const file = join(dir, "test.sqlite");
    return {
      dialect,
      config: { driver: "sqlite", database: file },
      env: { DB_CONNECTION: "sqlite", DB_DATABASE: file },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const server = SERVER[dialect];
  const admin = await connect(server);
  const q = admin.grammar.quoteIdentifier(name);
  try {
    await admin.execute(`create database ${q}`);
  } finally {
    await admin.close();
  }
  const config = { ...server, database: name };
  return {
    dialect,
    config,
    env: {
      DB_CONNECTION: dialect,
      DB_HOST: "127.0.0.1",
      DB_PORT: String(server.port),
      DB_USERNAME: server.username!,
      DB_PASSWORD: server.password ?? "",
      DB_DATABASE: name,
    },
    drop: async () => {
      const again = await connect(server);
      try {
        await again.execute(dialect === "postgres" ? `drop database if exists ${q} with (force)` : `drop database if exists ${q}`);
      } finally {
        await again.close();
      }
    },
  };
}

/** Open a connection to a fresh database for one test and clean both up afterwards. */
export async function withDatabase<T>(dialect: DialectName, fn: (db: Database, test: TestDatabase) => Promise<T>): Promise<T> {
  const test = await createTestDatabase(dialect);
  const db = await connect(test.config);
  try {
    return await fn(db, test);
  } finally {
    await db.close();
    await test.drop();
  }
}

/** Open a connection for the length of `fn` and close it whatever `fn` does. */
export async function withConnection<T>(config: ConnectionConfig, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await connect(config);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** The tables in the database, sorted by name (for comparing before and after). */
export function tablesOf(config: ConnectionConfig): Promise<string[]> {
  return withConnection(config, async (db) => [...(await db.schema.getTables())].sort());
}

/** Drop `table` on its own connection, as cleanup between tests. */
export function dropTableIfExists(config: ConnectionConfig, table: string): Promise<void> {
  return withConnection(config, (db) => db.schema.dropIfExists(table));
}
