import { EventEmitter } from "node:events";
import type { ResolvedConfig } from "../config/load-config.js";
import { redactSecrets } from "../config/redact.js";
import { connect } from "../dialect/connect.js";
import type { Database } from "../dialect/database.js";
import { MortarError, UsageError, messageOf } from "../errors.js";
import { LoadedMigrationCache } from "../migration/loaded-migration-cache.js";
import { Migrator, type RunError } from "../migration/migrator.js";
import { connectTenant } from "./connect-tenant.js";
import { discoverTenants } from "./discover-tenants.js";
import { lastFailed, saveLastRun } from "./last-run.js";
import { runPool } from "./pool.js";
import type { Tenant, TenantReport, TenantResult } from "./tenant.js";

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
}

/** What a command reports of one tenant; `error` is a run's error or anything thrown. */
export interface TenantWork {
  readonly batch: number | null;
  readonly migrations: readonly unknown[];
  readonly error?: RunError | unknown;
  readonly warnings?: readonly string[];
}

export interface TenantContext {
  readonly tenant: Tenant;
  readonly db: Database;
  /** A Migrator on the tenant's connection and tracking table, sharing loaded migrations with the fleet. */
  readonly migrator: Migrator;
  readonly config: ResolvedConfig;
}

/** A command run on each tenant (migrate, rollback, status, fresh, db:seed, lint …). */
export type TenantTask = (context: TenantContext) => Promise<TenantWork>;

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
 * Migration files are imported once for the whole fleet.
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
    let failed = false;
    this.emit("fleet:start", { total: tenants.length });
    const results = await runPool(
      tenants,
      parallel,
      async (tenant, index) => {
        this.emit("tenant:start", { id: tenant.id, index, total: tenants.length });
        const { result, warnings: said } = await this.#runOne(tenant, task);
        for (const warning of said) if (!warnings.includes(warning)) warnings.push(warning);
        if (result.status === "failed") failed = true;
        this.emit("tenant:end", result);
        return result;
      },
      () => failed && Boolean(this.#options.failFast),
    );
    const report: TenantReport = {
      tenants: results.map((result, i) => result ?? skipped(tenants[i]!.id)),
      warnings,
    };
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

  async #runOne(tenant: Tenant, task: TenantTask): Promise<{ result: TenantResult; warnings: readonly string[] }> {
    const started = performance.now();
    const opened: Database[] = [];
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const db = await connectTenant(tenant);
      opened.push(db);
      const migrator = this.#migrator(db, tenant, opened);
      const work = await task({ tenant, db, migrator, config: this.#config });
      const result: TenantResult = {
        id: tenant.id,
        status: work.error === undefined ? "ok" : "failed",
        batch: work.batch,
        migrations: work.migrations,
        durationMs: elapsed(),
        ...(work.error !== undefined ? { error: describeError(work.error) } : {}),
      };
      return { result, warnings: work.warnings ?? [] };
    } catch (error) {
      return { result: { id: tenant.id, status: "failed", batch: null, migrations: [], durationMs: elapsed(), error: describeError(error) }, warnings: [] };
    } finally {
      await Promise.allSettled(opened.map((db) => db.close()));
    }
  }

  #migrator(db: Database, tenant: Tenant, opened: Database[]): Migrator {
    const config = this.#config;
    const others = new Map<string, Promise<Database>>();
    return new Migrator(db, {
      path: config.migrationsPath,
      table: config.migrationsTable,
      migrationCache: this.#migrations,
      ...(tenant.schema !== undefined ? { lockScope: tenant.schema } : {}),
      ...(this.#options.lockTimeoutMs !== undefined ? { lockTimeoutMs: this.#options.lockTimeoutMs } : {}),
      // A migration's `static connection` names a shared connection, not the tenant's.
      resolveConnection: (name) => {
        if (name === config.connectionName) return Promise.resolve(db);
        let pending = others.get(name);
        if (!pending) {
          pending = connect(config.connectionNamed(name)).then((other) => (opened.push(other), other));
          others.set(name, pending);
        }
        return pending;
      },
    });
  }
}

function skipped(id: string): TenantResult {
  return { id, status: "skipped", batch: null, migrations: [], durationMs: 0 };
}

/** A run's error or a thrown one as `{ code, message, migration? }`, secrets redacted. */
function describeError(error: unknown): NonNullable<TenantResult["error"]> {
  if (error && typeof error === "object" && "stage" in error && "code" in error && "message" in error) {
    const run = error as RunError;
    return { code: run.code, message: redactSecrets(run.message), ...(run.migration !== undefined ? { migration: run.migration } : {}) };
  }
  return { code: error instanceof MortarError ? error.code : "ERROR", message: redactSecrets(messageOf(error)) };
}
