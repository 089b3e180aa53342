import type { ConnectionConfig } from "../dialect/dialect.js";

/** A connection as written in `mortar.config.ts`: `driver` accepts the aliases too. */
export type ConnectionSettings = Omit<ConnectionConfig, "driver"> & { readonly driver?: string };

/** One tenant of a list: a connection with an id, or a bare URL (its id is its database name). */
export type TenantConnection = string | (ConnectionSettings & { readonly id: string });

/** The forms of config `tenants` (spec §11), once any function has been called. */
export type TenantList =
  | readonly TenantConnection[]
  /** SQLite files; a tenant's id is its file name without the extension. */
  | { readonly glob: string }
  /** Schemas of the default PostgreSQL connection: names, or one LIKE pattern. */
  | { readonly schemas: readonly string[] | string }
  /** Databases of the default MySQL/MariaDB server matching a LIKE pattern. */
  | { readonly databases: string };

/** Config `tenants`: a list as above, or a (possibly async) function returning one. */
export type TenantsSetting = TenantList | (() => TenantList | Promise<TenantList>);

export interface MortarConfig {
  /** Name of the connection used when `--connection` is not given. */
  readonly default?: string;
  readonly connections?: Readonly<Record<string, ConnectionSettings>>;
  readonly migrations?: {
    /** Folder of migration files. Default `databases/migrations`. */
    readonly path?: string;
    /** Tracking table. Default `migrations`. */
    readonly table?: string;
  };
  /**
   * Safe execution for every run (spec §9; the `--safe` flag for one run): lock timeouts
   * with retries, and on PostgreSQL indexes built CONCURRENTLY and constraints validated
   * in steps of their own.
   */
  readonly safe?: boolean;
  /** Safe execution: seconds a statement may wait for a table's lock per attempt. Default 5. */
  readonly ddlLockTimeout?: number;
  /** Safe execution: further attempts after a lock timeout or deadlock. Default 5. */
  readonly retries?: number;
  readonly seeders?: {
    /** Folder of seeder files. Default `databases/seeders`. */
    readonly path?: string;
  };
  /** `mortar schema:types`. */
  readonly types?: {
    /** File the types are written to (and rewritten after every successful `migrate`). */
    readonly out?: string;
    /** TypeScript type a JSON column is read as. Default `unknown`; `JsonValue` defines one. */
    readonly json?: string;
  };
  /**
   * The tenant fleet that `--tenants` runs a command on (spec §11): a list of connections,
   * `{ glob }` (SQLite files), `{ schemas }` (PostgreSQL schemas of the default connection),
   * `{ databases }` (MySQL/MariaDB databases of the default server), or an async function
   * returning one of these.
   */
  readonly tenants?: TenantsSetting;
}

/**
 * Type-checks a `mortar.config.ts` and returns it unchanged.
 *
 * @example
 * export default defineConfig({
 *   default: "primary",
 *   connections: { primary: { driver: "postgres", host: "127.0.0.1", database: "app" } },
 *   migrations: { path: "databases/migrations", table: "migrations" },
 * });
 */
export function defineConfig(config: MortarConfig): MortarConfig {
  return config;
}
