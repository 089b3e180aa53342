import type { ResolvedConfig } from "../config/load-config.js";
import { redactSecrets } from "../config/redact.js";
import { connectionResolver } from "../dialect/connection-resolver.js";
import type { Database } from "../dialect/database.js";
import { MortarError, messageOf } from "../errors.js";
import type { LoadedMigrationCache } from "../migration/loaded-migration-cache.js";
import { Migrator, type RunError } from "../migration/migrator.js";
import { connectTenant } from "./connect-tenant.js";
import type { Tenant, TenantResult, TenantTask } from "./tenant.js";

export interface TenantRunSettings {
  readonly config: ResolvedConfig;
  /** Shared by every tenant of the process (or worker thread): each file imported once. */
  readonly migrations: LoadedMigrationCache;
  readonly lockTimeoutMs?: number;
}

export interface TenantOutcome {
  readonly result: TenantResult;
  readonly warnings: readonly string[];
}

/**
 * Run `task` on one tenant: its own connection, Migrator, lock and tracking table, all
 * closed afterwards. Never throws: whatever goes wrong is the tenant's `failed` result.
 */
export async function runTenant(tenant: Tenant, task: TenantTask, settings: TenantRunSettings): Promise<TenantOutcome> {
  const started = performance.now();
  const opened: Database[] = [];
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const db = await connectTenant(tenant);
    opened.push(db);
    const migrator = tenantMigrator(db, tenant, settings, opened);
    const work = await task({ tenant, db, migrator, config: settings.config });
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
    return { result: failedResult(tenant.id, error, elapsed()), warnings: [] };
  } finally {
    await Promise.allSettled(opened.map((db) => db.close()));
  }
}

export function failedResult(id: string, error: unknown, durationMs = 0): TenantResult {
  return { id, status: "failed", batch: null, migrations: [], durationMs, error: describeError(error) };
}

function tenantMigrator(db: Database, tenant: Tenant, settings: TenantRunSettings, opened: Database[]): Migrator {
  const { config } = settings;
  return new Migrator(db, {
    path: config.migrationsPath,
    table: config.migrationsTable,
    migrationCache: settings.migrations,
    ...(tenant.schema !== undefined ? { lockScope: tenant.schema } : {}),
    ...(settings.lockTimeoutMs !== undefined ? { lockTimeoutMs: settings.lockTimeoutMs } : {}),
    ...(config.safe ? { safe: config.safe } : {}),
    // A migration's `static connection` names a shared connection, not the tenant's.
    resolveConnection: connectionResolver(config, db, opened),
  });
}

/** A run's error or a thrown one as `{ code, message, migration? }`, secrets redacted. */
function describeError(error: unknown): NonNullable<TenantResult["error"]> {
  if (error && typeof error === "object" && "stage" in error && "code" in error && "message" in error) {
    const run = error as RunError;
    return { code: run.code, message: redactSecrets(run.message), ...(run.migration !== undefined ? { migration: run.migration } : {}) };
  }
  return { code: error instanceof MortarError ? error.code : "ERROR", message: redactSecrets(messageOf(error)) };
}
