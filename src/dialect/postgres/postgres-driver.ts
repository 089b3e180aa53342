import type pg from "pg";
import { resolveConnection } from "../../config/resolve-connection.js";
import { ConnectionError } from "../../errors.js";
import type { ConnectionConfig, Driver, DriverResult } from "../dialect.js";
import { importDriver, POSTGRES_DRIVER } from "../driver-import.js";
import { planTls, type TlsPlan } from "../tls-options.js";

/** pg's own message when the server answers the TLS request with "no". */
const NO_TLS = "The server does not support SSL connections";

/**
 * Open one pg.Client (never a pool: the migration lock and transaction must stay on
 * one session). With `sslMode: "prefer"` a server without TLS gets a second, plaintext
 * attempt; every other TLS mode fails instead.
 *
 * @example
 * const driver = await connectPostgres({ driver: "postgres", url: "postgres://postgres@127.0.0.1/test?sslmode=require" });
 * await driver.run("select 1 as one", []);
 */
export async function connectPostgres(config: ConnectionConfig): Promise<Driver> {
  const resolved = resolveConnection(config);
  const tls = planTls(resolved);
  // Loaded on first use: a SQLite run never pays for the PostgreSQL driver.
  const { default: driver } = await importPg();
  try {
    return await open(driver, clientConfig(resolved, tls.ssl));
  } catch (error) {
    if (!(tls.mayFallBack && isNoTls(error))) throw connectionError(resolved, tls, error);
  }
  try {
    return await open(driver, clientConfig(resolved, undefined));
  } catch (error) {
    throw connectionError(resolved, { ...tls, mode: "disable" }, error);
  }
}

async function open(driver: typeof pg, settings: pg.ClientConfig): Promise<Driver> {
  const client = new driver.Client(settings);
  // Without a listener a server-side disconnect is an unhandled 'error' event and kills the process.
  let lost: Error | undefined;
  client.on("error", (error) => {
    lost = error;
  });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return new PostgresDriver(client, () => lost);
}

function clientConfig(config: ConnectionConfig, ssl: TlsPlan["ssl"]): pg.ClientConfig {
  const user = config.username ?? config.user;
  return {
    ...(config.socketPath ?? config.host ? { host: config.socketPath ?? config.host } : {}),
    ...(config.port !== undefined ? { port: Number(config.port) } : {}),
    ...(config.database !== undefined ? { database: config.database } : {}),
    ...(user !== undefined ? { user } : {}),
    ...(config.password !== undefined ? { password: config.password } : {}),
    ...(config.applicationName !== undefined ? { application_name: config.applicationName } : {}),
    ...(config.connectTimeout ? { connectionTimeoutMillis: config.connectTimeout * 1000 } : {}),
    // sslMode "disable" must mean plaintext even when PGSSLMODE says otherwise.
    ...(ssl ? { ssl } : config.sslMode === "disable" ? { ssl: false } : {}),
  };
}

function isNoTls(error: unknown): boolean {
  return error instanceof Error && error.message === NO_TLS;
}

function connectionError(config: ConnectionConfig, tls: TlsPlan, error: unknown): ConnectionError {
  const where = `${config.socketPath ?? config.host ?? "localhost"}:${config.port ?? 5432}`;
  const database = config.database ? ` (database "${config.database}")` : "";
  const why = isNoTls(error) ? `: sslmode=${tls.mode} asks for TLS and the server offers none (Mortar never falls back to plaintext)` : "";
  return new ConnectionError(`cannot connect to postgres at ${where}${database}${why}`, error);
}

/**
 * pg decides when it loads whether it runs on Cloudflare Workers: with no global
 * `navigator` (Node 20 has none) it probes `Response`, and touching `Response` makes
 * Node 20 load its whole fetch implementation (undici): ~25 ms of every PostgreSQL
 * command's start-up, measured. A `navigator` that says Node.js answers the probe
 * first; it exists only while pg loads, and never where Node has its own.
 */
async function importPg(): Promise<typeof import("pg")> {
  const load = () => importDriver(POSTGRES_DRIVER, () => import("pg"));
  if ("navigator" in globalThis) return load();
  Object.defineProperty(globalThis, "navigator", {
    value: { userAgent: `Node.js/${process.versions.node}` },
    configurable: true,
    writable: true,
  });
  try {
    return await load();
  } finally {
    delete (globalThis as { navigator?: unknown }).navigator;
  }
}

class PostgresDriver implements Driver {
  readonly #client: pg.Client;
  readonly #lost: () => Error | undefined;

  constructor(client: pg.Client, lost: () => Error | undefined) {
    this.#client = client;
    this.#lost = lost;
  }

  /** BackendKeyData's process id: the real backend's pid, or a pooler's made-up one. */
  get announcedSessionId(): number | undefined {
    return (this.#client as unknown as { processID?: number | null }).processID ?? undefined;
  }

  async run(sql: string, parameters: readonly unknown[]): Promise<DriverResult> {
    const lost = this.#lost();
    if (lost) throw new ConnectionError("the postgres connection was lost", lost);
    // Without values pg uses the simple query protocol, which accepts several statements at once.
    // With values it uses the extended protocol with the unnamed statement (never a
    // `name`): named prepared statements live in one server session and break behind a
    // transaction pooler (PgBouncer before 1.21 does not track them).
    const result: pg.QueryResult | pg.QueryResult[] =
      parameters.length === 0 ? await this.#client.query(sql) : await this.#client.query(sql, [...parameters]);
    const last = Array.isArray(result) ? result[result.length - 1] : result;
    return { rows: last?.rows ?? [], affectedRows: last?.rowCount ?? 0 };
  }

  async close(): Promise<void> {
    await this.#client.end();
  }
}
