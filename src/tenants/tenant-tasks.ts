import type { MigrateOptions, RollbackOptions, RunResult } from "../migration/migrator.js";
import { seed } from "../seeding/seed.js";
import type { TenantTask, TenantWork } from "./fleet.js";

/** The commands a fleet runs; each is one `TenantTask`, the same for the CLI and the library. */

export function migrateTask(options: MigrateOptions = {}): TenantTask {
  return async ({ migrator }) => fromRun(await migrator.migrate(options));
}

export function rollbackTask(options: RollbackOptions = {}): TenantTask {
  return async ({ migrator }) => fromRun(await migrator.rollback(options));
}

export function freshTask(options: { pretend?: boolean } = {}): TenantTask {
  return async ({ migrator }) => fromRun(await migrator.fresh(options));
}

/** `migrate:status`: the tenant's status rows; a tenant with `pending` rows is still `ok`. */
export function statusTask(): TenantTask {
  return async ({ migrator }) => {
    const { migrations, warnings } = await migrator.status();
    return { batch: null, migrations: migrations.map((m) => ({ name: m.name, status: m.status, batch: m.batch })), warnings };
  };
}

/** `db:seed`: seeder `seeder` (default DatabaseSeeder) in one transaction per tenant. */
export function seedTask(seeder?: string): TenantTask {
  return async ({ db, config }) => {
    const result = await seed(db, { path: config.seedersPath, ...(seeder !== undefined ? { seeder } : {}) });
    return { batch: null, migrations: result.seeded.map((name) => ({ name, status: "seeded" })) };
  };
}

function fromRun(result: RunResult): TenantWork {
  return {
    batch: result.batch,
    migrations: result.migrations.map((m) => ({ name: m.name, status: m.status, durationMs: m.durationMs, ...(m.statements ? { statements: m.statements } : {}) })),
    ...(result.error !== undefined ? { error: result.error } : {}),
    warnings: result.warnings,
  };
}
