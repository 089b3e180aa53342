import type pg from "pg";
import { ConfigError, ConnectionError } from "../../errors.js";
import type { ConnectionConfig, Driver, DriverResult } from "../dialect.js";

interface PostgresSettings {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
}

/**
 * Open one pg.Client (never a pool: the migration lock and transaction must stay on
 * one session).
 *
 * @example
 * const driver = await connectPostgres({ driver: "postgres", url: "postgres://postgres@127.0.0.1/test" });
 * await driver.run("select 1 as one", []);
 */
export async function connectPostgres(config: ConnectionConfig): Promise<Driver> {
  const settings = { ...fromUrl(config.url), ...explicit(config) };
  // Loaded on first use: a SQLite run never pays for the PostgreSQL driver.
  const { default: driver } = await importPg();
  const client = new driver.Client({ ...settings, ssl: config.ssl as pg.ClientConfig["ssl"] });
  // Without a listener a server-side disconnect is an unhandled 'error' event and kills the process.
  let lost: Error | undefined;
  client.on("error", (error) => {
    lost = error;
  });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new ConnectionError(`cannot connect to postgres at ${client.host}:${client.port} (database "${client.database}")`, error);
  }
  return new PostgresDriver(client, () => lost);
}

/**
 * pg decides when it loads whether it runs on Cloudflare Workers: with no global
 * `navigator` (Node 20 has none) it probes `Response`, and touching `Response` makes
 * Node 20 load its whole fetch implementation (undici): ~25 ms of every PostgreSQL
 * command's start-up, measured. A `navigator` that says Node.js answers the probe
 * first; it exists only while pg loads, and never where Node has its own.
 */
async function importPg(): Promise<typeof import("pg")> {
  if ("navigator" in globalThis) return import("pg");
  Object.defineProperty(globalThis, "navigator", {
    value: { userAgent: `Node.js/${process.versions.node}` },
    configurable: true,
    writable: true,
  });
  try {
    return await import("pg");
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

  async run(sql: string, parameters: readonly unknown[]): Promise<DriverResult> {
    const lost = this.#lost();
    if (lost) throw new ConnectionError("the postgres connection was lost", lost);
    // Without values pg uses the simple query protocol, which accepts several statements at once.
    const result: pg.QueryResult | pg.QueryResult[] =
      parameters.length === 0 ? await this.#client.query(sql) : await this.#client.query(sql, [...parameters]);
    const last = Array.isArray(result) ? result[result.length - 1] : result;
    return { rows: last?.rows ?? [], affectedRows: last?.rowCount ?? 0 };
  }

  async close(): Promise<void> {
    await this.#client.end();
  }
}

/** Only what is set explicitly overrides the URL (pg itself would let the URL win). */
function explicit(config: ConnectionConfig): PostgresSettings {
  const settings: PostgresSettings = {};
  if (config.host !== undefined) settings.host = config.host;
  if (config.port !== undefined) settings.port = Number(config.port);
  if (config.database !== undefined) settings.database = config.database;
  const user = config.username ?? config.user;
  if (user !== undefined) settings.user = user;
  if (config.password !== undefined) settings.password = config.password;
  return settings;
}

function fromUrl(url: string | undefined): PostgresSettings {
  if (!url) return {};
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`invalid postgres connection URL: ${redact(url)}`);
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new ConfigError(`a postgres connection URL must start with postgres:// or postgresql://, got ${redact(url)}`);
  }
  const settings: PostgresSettings = {};
  if (parsed.hostname) settings.host = decodeURIComponent(parsed.hostname.replace(/^\[(.*)\]$/, "$1"));
  if (parsed.port) settings.port = Number(parsed.port);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  if (database) settings.database = database;
  if (parsed.username) settings.user = decodeURIComponent(parsed.username);
  if (parsed.password) settings.password = decodeURIComponent(parsed.password);
  return settings;
}

/** Never echo a password into an error message. */
function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@");
}
