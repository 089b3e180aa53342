import type { ConnectionConfig } from "../dialect/dialect.js";

/** One database (or PostgreSQL schema) of a fleet. */
export interface Tenant {
  /** How reports, `--tenant ID` and the last-run file name it. */
  readonly id: string;
  readonly connection: ConnectionConfig;
  /** A schema of `connection`'s database that unqualified names resolve to (`search_path`). */
  readonly schema?: string;
}

export type TenantStatus = "ok" | "failed" | "skipped";

/** What a command did on one tenant: the `tenants[]` entry of the `--json` report. */
export interface TenantResult {
  readonly id: string;
  readonly status: TenantStatus;
  /** The batch a run recorded or rolled back; null when nothing ran (and for status, seeding). */
  readonly batch: number | null;
  /** The command's own rows: migrations run or rolled back, status rows, seeders run. */
  readonly migrations: readonly unknown[];
  readonly durationMs: number;
  readonly error?: { readonly code: string; readonly message: string; readonly migration?: string };
}

/** One fleet run: `{"tenants":[…],"warnings":[…]}`. */
export interface TenantReport {
  readonly tenants: TenantResult[];
  readonly warnings: string[];
}
