import type { Connection, ConnectionOptions, ResultSetHeader } from "mysql2/promise";
import { resolveConnection } from "../../config/resolve-connection.js";
import { ConnectionError } from "../../errors.js";
import type { ConnectionConfig, Driver, DriverResult } from "../dialect.js";
import { importDriver, MYSQL_DRIVER } from "../driver-import.js";
import { planTls, type TlsPlan } from "../tls-options.js";

/** mysql2's code when TLS was asked for and the server offers none. */
const NO_TLS = "HANDSHAKE_NO_SSL_SUPPORT";

/** Where to connect and as whom; the URL, if any, was folded in by `resolveConnection`. */
function connectionOptions(config: ConnectionConfig): ConnectionOptions {
  const user = config.username ?? config.user;
  return {
    ...(config.socketPath ? { socketPath: config.socketPath } : { host: config.host ?? "127.0.0.1", port: Number(config.port ?? 3306) }),
    ...(user !== undefined ? { user } : {}),
    ...(config.password !== undefined ? { password: config.password } : {}),
    ...(config.database !== undefined ? { database: config.database } : {}),
    ...(config.connectTimeout ? { connectTimeout: config.connectTimeout * 1000 } : {}),
    charset: config.charset ?? "utf8mb4",
    supportBigNumbers: true,
    multipleStatements: true,
  };
}

function describe(config: ConnectionConfig): string {
  const where = config.socketPath ?? `${config.host ?? "127.0.0.1"}:${config.port ?? 3306}`;
  return `${where}${config.database ? ` (database "${config.database}")` : ""}`;
}

/**
 * mysql2 ignores a `checkServerIdentity` of ours and checks the host name only when
 * told to with its own `verifyIdentity` flag; without it VERIFY_IDENTITY would check
 * nothing but the chain.
 */
function mysqlSsl(tls: TlsPlan): ConnectionOptions["ssl"] {
  return { ...tls.ssl, verifyIdentity: tls.mode === "verify-full" } as ConnectionOptions["ssl"];
}

/**
 * mysql2 checks the host name only when the host is a name, not an IP address (it then
 * sends no server name, and Node falls back to "localhost"). VERIFY_IDENTITY means the
 * certificate names the host we asked for, so check it here against the real host.
 */
async function hostIdentityError(connection: Connection, config: ConnectionConfig): Promise<Error | undefined> {
  // Loaded only here: node:tls is not worth every run's start-up.
  const { checkServerIdentity, TLSSocket } = await import("node:tls");
  const stream = (connection as unknown as { connection?: { stream?: unknown } }).connection?.stream;
  if (!(stream instanceof TLSSocket)) return new Error("VERIFY_IDENTITY asked for TLS and the session is not encrypted");
  if (config.socketPath) return undefined;
  return checkServerIdentity(config.host ?? "127.0.0.1", stream.getPeerCertificate());
}

function isNoTls(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === NO_TLS;
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
  const resolved = resolveConnection(config);
  const tls = planTls(resolved);
  const options = connectionOptions(resolved);
  // Loaded on first use: a SQLite or PostgreSQL run never pays for the MySQL driver.
  const { createConnection } = await importDriver(MYSQL_DRIVER, () => import("mysql2/promise"));
  let connection: Connection;
  try {
    connection = await createConnection({ ...options, ...(tls.ssl ? { ssl: mysqlSsl(tls) } : {}) });
  } catch (error) {
    if (!(tls.mayFallBack && isNoTls(error))) {
      const why = isNoTls(error) ? `: ssl-mode ${tls.mode} asks for TLS and the server offers none (Mortar never falls back to plaintext)` : "";
      throw new ConnectionError(`cannot connect to mysql at ${describe(resolved)}${why}`, error);
    }
    // sslMode "prefer": the server has no TLS, so plaintext is what was asked for.
    try {
      connection = await createConnection(options);
    } catch (again) {
      throw new ConnectionError(`cannot connect to mysql at ${describe(resolved)}`, again);
    }
  }
  const identity = tls.mode === "verify-full" ? await hostIdentityError(connection, resolved) : undefined;
  if (identity) {
    connection.destroy();
    throw new ConnectionError(`cannot connect to mysql at ${describe(resolved)}: ${identity.message}`, identity);
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
    throw new ConnectionError(`cannot set the session sql_mode on mysql at ${describe(resolved)}`, error);
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
