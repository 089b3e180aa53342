import type { ConnectionConfig } from "../dialect/dialect.js";
import type { TenantsSetting } from "./tenants-setting.js";

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
  readonly seeders?: {
    /** Folder of seeder files. Default `databases/seeders`. */
    readonly path?: string;
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
