import type { MigrateOptions, RollbackOptions, RunResult } from "../migration/migrator.js";
import { seed } from "../seeding/seed.js";
import { lint } from "../lint/lint-engine.js";
import type { TaskSpec, TenantContext, TenantTask, TenantWork } from "./tenant.js";

/**
 * The commands a fleet runs; each is one `TenantTask`, the same for the CLI and the
 * library, carrying its `spec` so it can also run on a worker thread.
 */

export function migrateTask(options: MigrateOptions = {}): TenantTask {
  return taskFor({ kind: "migrate", options: { ...options } });
}

export function rollbackTask(options: RollbackOptions = {}): TenantTask {
  return taskFor({ kind: "rollback", options: { ...options } });
}

export function freshTask(options: { pretend?: boolean } = {}): TenantTask {
  return taskFor({ kind: "fresh", options: { ...options } });
}

/** `migrate:status`: the tenant's status rows; a tenant with `pending` rows is still `ok`. */
export function statusTask(pending = false): TenantTask {
  return taskFor(pending ? { kind: "status", pending } : { kind: "status" });
}

/** `db:seed`: seeder `seeder` (default DatabaseSeeder) in one transaction per tenant. */
export function seedTask(seeder?: string): TenantTask {
  return taskFor(seeder !== undefined ? { kind: "seed", seeder } : { kind: "seed" });
}

/** `lint`: the tenant's pending migrations (every one with `all`) against its own live schema; a finding fails the tenant. */
export function lintTask(all = false): TenantTask {
  return taskFor({ kind: "lint", all });
}

/** The task a spec describes (on the main thread or a worker). */
export function taskFor(spec: TaskSpec): TenantTask {
  return Object.assign((context: TenantContext) => perform(spec, context), { spec });
}

async function perform(spec: TaskSpec, { migrator, db, config }: TenantContext): Promise<TenantWork> {
  switch (spec.kind) {
    case "migrate":
      return fromRun(await migrator.migrate(spec.options));
    case "rollback":
      return fromRun(await migrator.rollback(spec.options));
    case "fresh":
      return fromRun(await migrator.fresh(spec.options));
    case "status": {
      const { migrations, warnings } = await migrator.status();
      const rows = spec.pending ? migrations.filter((m) => m.status === "pending") : migrations;
      return { batch: null, migrations: rows.map((m) => ({ name: m.name, status: m.status, batch: m.batch })), warnings };
    }
    case "seed": {
      const result = await seed(db, { path: config.seedersPath, ...(spec.seeder !== undefined ? { seeder: spec.seeder } : {}) });
      return { batch: null, migrations: result.seeded.map((name) => ({ name, status: "seeded" })) };
    }
    case "lint": {
      const { findings, warnings } = await lint({ path: config.migrationsPath, table: config.migrationsTable, all: spec.all, db });
      const error = findings.length > 0 ? { code: "LINT_FINDINGS", message: `${findings.length} lint finding(s): ${[...new Set(findings.map((f) => f.rule))].join(", ")}` } : undefined;
      return { batch: null, migrations: findings, ...(error ? { error } : {}), warnings };
    }
  }
}

function fromRun(result: RunResult): TenantWork {
  return {
    batch: result.batch,
    migrations: result.migrations.map((m) => ({ name: m.name, status: m.status, durationMs: m.durationMs, ...(m.statements ? { statements: m.statements } : {}) })),
    ...(result.error !== undefined ? { error: result.error } : {}),
    warnings: result.warnings,
  };
}
