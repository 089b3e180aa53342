import { EventEmitter } from "node:events";
import type { ResolvedConfig } from "../config/load-config.js";
import { UsageError } from "../errors.js";
import { LoadedMigrationCache } from "../migration/loaded-migration-cache.js";
import { discoverTenants } from "./discover-tenants.js";
import { lastFailed, saveLastRun } from "./last-run.js";
import { runPool } from "./pool.js";
import { runTenant, type TenantOutcome } from "./run-tenant.js";
import type { Tenant, TenantReport, TenantResult, TenantTask } from "./tenant.js";
import { runOnThreads } from "./tenant-threads.js";

export type { TenantContext, TenantTask, TenantWork, TaskSpec } from "./tenant.js";

export interface FleetOptions {
  /** How many tenants run at once (each holds one connection). Default 1. */
  readonly parallel?: number;
  /** After the first failure, start no other tenant (they are reported `skipped`). */
  readonly failFast?: boolean;
  /** Run on this tenant only. */
  readonly tenant?: string;
  /** Run on the tenants that failed in the last fleet run of this project and connection. */
  readonly onlyFailed?: boolean;
  /** How long each tenant's run waits for another run's lock, in milliseconds. */
  readonly lockTimeoutMs?: number;
  /**
   * Run SQLite tenants on worker threads (`parallel` of them). Default: when `parallel` > 1,
   * every tenant is SQLite and the task is a built-in one (it has a `spec`).
   */
  readonly threads?: boolean;
}

export interface TenantStartEvent {
  readonly id: string;
  readonly index: number;
  readonly total: number;
}

interface FleetEvents {
  /** Tenants chosen, before the first starts (a progress bar's total). */
  "fleet:start": [{ readonly total: number }];
  "tenant:start": [TenantStartEvent];
  "tenant:end": [TenantResult];
}

/**
 * Runs one command on every tenant of config `tenants`, `parallel` at a time, each on its
 * own connection with its own lock and tracking table. A tenant's failure is its own
 * (`failed` in the report) unless `failFast`; nothing a tenant does throws out of `run`.
 * Migration files are imported once for the whole fleet (once per worker thread).
 */
export class TenantFleet extends EventEmitter<FleetEvents> {
  readonly #config: ResolvedConfig;
  readonly #options: FleetOptions;
  readonly #migrations = new LoadedMigrationCache();

  constructor(config: ResolvedConfig, options: FleetOptions = {}) {
    super();
    this.#config = config;
    this.#options = options;
  }

  /**
   * Choose the tenants and run `task` on each. Throws (a `ConfigError`/`UsageError`) only
   * before any tenant starts: a bad `tenants` setting or an unknown tenant id.
   */
  async run(task: TenantTask): Promise<TenantReport> {
    const { tenants, warnings } = await this.#chosen();
    const parallel = this.#options.parallel ?? 1;
    const results: (TenantResult | undefined)[] = new Array(tenants.length).fill(undefined);
    let failed = false;
    const start = (tenant: Tenant, index: number) => this.emit("tenant:start", { id: tenant.id, index, total: tenants.length });
    const end = ({ result, warnings: said }: TenantOutcome, index: number) => {
      for (const warning of said) if (!warnings.includes(warning)) warnings.push(warning);
      if (result.status === "failed") failed = true;
      results[index] = result;
      this.emit("tenant:end", result);
    };
    const stop = () => failed && Boolean(this.#options.failFast);
    this.emit("fleet:start", { total: tenants.length });
    const { spec } = task;
    const threaded = this.#options.threads ?? (parallel > 1 && tenants.length > 1 && tenants.every((t) => t.connection.driver === "sqlite"));
    if (threaded && spec) {
      await runOnThreads(tenants, spec, parallel, this.#config, this.#options.lockTimeoutMs, { start, end, stop });
    } else {
      const settings = { config: this.#config, migrations: this.#migrations, lockTimeoutMs: this.#options.lockTimeoutMs };
      await runPool(
        tenants,
        parallel,
        async (tenant, index) => {
          start(tenant, index);
          end(await runTenant(tenant, task, settings), index);
        },
        stop,
      );
    }
    const report: TenantReport = { tenants: results.map((result, i) => result ?? skipped(tenants[i]!.id)), warnings };
    for (const result of report.tenants) if (result.status === "skipped") this.emit("tenant:end", result);
    saveLastRun(this.#config, report);
    return report;
  }

  async #chosen(): Promise<{ tenants: Tenant[]; warnings: string[] }> {
    const { tenants, warnings } = await discoverTenants(this.#config);
    const { tenant: only, onlyFailed } = this.#options;
    let chosen = tenants;
    if (only !== undefined) {
      chosen = tenants.filter((t) => t.id === only);
      if (chosen.length === 0) throw new UsageError(`tenant "${only}" is not among the ${tenants.length} configured tenants`);
    }
    if (onlyFailed) {
      const failed = lastFailed(this.#config);
      if (failed === undefined) warnings.push("no earlier fleet run is recorded: there are no failed tenants to re-run");
      const again = new Set(failed ?? []);
      chosen = chosen.filter((t) => again.has(t.id));
    }
    return { tenants: chosen, warnings: [...warnings] };
  }
}

function skipped(id: string): TenantResult {
  return { id, status: "skipped", batch: null, migrations: [], durationMs: 0 };
}
