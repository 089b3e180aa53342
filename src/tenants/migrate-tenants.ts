import type { ResolvedConfig } from "../config/load-config.js";
import type { MigrateOptions } from "../migration/migrator.js";
import { TenantFleet, type FleetOptions, type TenantStartEvent } from "./fleet.js";
import type { TenantReport, TenantResult } from "./tenant.js";
import { migrateTask } from "./tenant-tasks.js";

export interface MigrateTenantsOptions extends FleetOptions, MigrateOptions {
  /** Told as each tenant starts and ends (`tenant:start`, `tenant:end`). */
  readonly on?: {
    readonly "tenant:start"?: (event: TenantStartEvent) => void;
    readonly "tenant:end"?: (result: TenantResult) => void;
  };
}

/**
 * Migrate every tenant of config `tenants` and return the fleet's report. Never throws for
 * a tenant's failure (that tenant is `failed` in the report); throws a `ConfigError` or
 * `UsageError` for a bad `tenants` setting or an unknown `tenant`, before any tenant runs.
 *
 * @example
 * const report = await migrateTenants(await loadConfig(), { parallel: 4, on: { "tenant:end": (t) => console.log(t.id, t.status) } });
 * if (report.tenants.some((t) => t.status === "failed")) process.exitCode = 1;
 */
export async function migrateTenants(config: ResolvedConfig, options: MigrateTenantsOptions = {}): Promise<TenantReport> {
  const fleet = new TenantFleet(config, options);
  if (options.on?.["tenant:start"]) fleet.on("tenant:start", options.on["tenant:start"]);
  if (options.on?.["tenant:end"]) fleet.on("tenant:end", options.on["tenant:end"]);
  return fleet.run(migrateTask({ step: options.step, migration: options.migration, pretend: options.pretend }));
}
