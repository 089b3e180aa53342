import type { Connection, ConnectionOptions, ResultSetHeader } from "mysql2/promise";
import { ConnectionError } from "../../errors.js";
import type { ConnectionConfig, Driver, DriverResult } from "../dialect.js";

interface Target {
  host: string;
  port: number;
  user?: string;
  password?: string;
  database?: string;
}

/** Explicit settings win; a `mysql://user:pass@host:port/db` URL fills the gaps. */
function resolveTarget(config: ConnectionConfig): Target {
  const url = config.url ? new URL(config.url) : undefined;
  const fromUrl = (part: string | undefined) => (part ? decodeURIComponent(part) : undefined);
  const urlDatabase = fromUrl(url?.pathname.replace(/^\//, ""));
  return {
    host: config.host ?? (url?.hostname || "127.0.0.1"),
    port: config.port ?? (url?.port ? Number(url.port) : 3306),
    user: config.username ?? config.user ?? fromUrl(url?.username),
    password: config.password ?? fromUrl(url?.password),
    database: config.database ?? urlDatabase,
  };
}

/** By class, not by shape: a row may well have a column called `affectedRows`. */
function isHeader(value: unknown): value is ResultSetHeader {
  return typeof value === "object" && value !== null && value.constructor?.name === "ResultSetHeader";
}

/** A result set is an array of row objects; a multi-statement result is an array of those and headers. */
function isMultiResult(result: unknown): result is unknown[] {
  return Array.isArray(result) && result.length > 0 && (Array.isArray(result[0]) || isHeader(result[0]));
}

function toDriverResult(result: unknown): DriverResult {
  const parts = isMultiResult(result) ? result : [result];
  let rows: Record<string, unknown>[] = [];
  let affectedRows = 0;
  let insertId: number | string | undefined;
  for (const part of parts) {
    if (Array.isArray(part)) rows = part as Record<string, unknown>[];
    else if (isHeader(part)) {
      affectedRows += part.affectedRows;
      if (part.insertId) insertId = part.insertId;
    }
  }
  return insertId === undefined ? { rows, affectedRows } : { rows, affectedRows, insertId };
}

/**
 * Open one mysql2 connection (never a pool: the migration lock and session settings
 * belong to one session). Backslash escapes are switched back on for the session
 * because the grammar escapes `\` in every literal it writes.
 */
export async function createMysqlDriver(config: ConnectionConfig): Promise<Driver> {
  const target = resolveTarget(config);
  let connection: Connection;
  try {
    // Loaded on first use: a SQLite or PostgreSQL run never pays for the MySQL driver.
    const { createConnection } = await import("mysql2/promise");
    connection = await createConnection({
      ...target,
      charset: "utf8mb4",
      supportBigNumbers: true,
      multipleStatements: true,
      ...(config.ssl !== undefined ? { ssl: config.ssl as ConnectionOptions["ssl"] } : {}),
    });
  } catch (error) {
    const where = `${target.host}:${target.port}${target.database ? ` (database "${target.database}")` : ""}`;
    throw new ConnectionError(`cannot connect to mysql at ${where}`, error);
  }
  // A dropped connection emits 'error'; without a listener Node would crash the process.
  // The next statement then fails with mysql2's own "closed state" error instead.
  connection.on("error", () => undefined);
  try {
    await connection.query(
      "set session sql_mode = trim(both ',' from replace(concat(',', @@session.sql_mode, ','), ',NO_BACKSLASH_ESCAPES,', ','))",
    );
  } catch (error) {
    connection.destroy();
    throw new ConnectionError(`cannot set the session sql_mode on mysql at ${target.host}:${target.port}`, error);
  }

  return {
    async run(sql, parameters) {
      // Without parameters the text goes as-is, so a `?` in a DDL literal is never taken for a placeholder.
      const [result] =
        parameters.length > 0 ? await connection.query(sql, [...parameters]) : await connection.query(sql);
      return toDriverResult(result);
    },
    async close() {
      try {
        await connection.end();
      } catch {
        connection.destroy();
      }
    },
  };
}
