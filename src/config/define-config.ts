import type { ConnectionConfig } from "../dialect/dialect.js";

/** A connection as written in `mortar.config.ts`: `driver` accepts the aliases too. */
export type ConnectionSettings = Omit<ConnectionConfig, "driver"> & { readonly driver?: string };

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
