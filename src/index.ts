/** Mortar's public API. Everything the command line does is reachable from here. */
export { connect, dialectFor } from "./dialect/connect.js";
export { Database, type ExecuteResult, type StatementEvent } from "./dialect/database.js";
export type {
  ColumnInfo,
  ConnectionConfig,
  DialectName,
  ForeignKeyInfo,
  IndexInfo,
  Introspector,
} from "./dialect/dialect.js";
export { Migration } from "./migration/migration.js";
export { Seeder, type SeederClass } from "./seeding/seeder.js";
export { seed, type SeedOptions, type SeedResult, type SeederEndEvent } from "./seeding/seed.js";
export { SeederFailedError, SeederFileError } from "./seeding/seeder-errors.js";
export {
  Migrator,
  type MigrateOptions,
  type MigrationOutcome,
  type MigratorOptions,
  type RollbackOptions,
  type RunError,
  type RunResult,
  type RunStage,
} from "./migration/migrator.js";
export type { StatusRow, MigrationState } from "./migration/plan.js";
export { lint, type LintOptions, type LintResult, type UndecidedOutcome } from "./lint/lint-engine.js";
export { toSarif } from "./lint/sarif.js";
export { RULES } from "./lint/rules/index.js";
export { RULE_IDS, type Finding, type LintContext, type LintOperation, type LintRule, type RuleId, type RuleOutcome, type TableFacts } from "./lint/lint-rule.js";
export { createMigration, type CreateMigrationOptions } from "./migration/creator.js";
export { defineConfig, type MortarConfig, type ConnectionSettings } from "./config/define-config.js";
export { loadConfig, type ResolvedConfig } from "./config/load-config.js";
export { Blueprint } from "./schema/blueprint.js";
export { ColumnDefinition } from "./schema/column-definition.js";
export { ForeignKeyDefinition } from "./schema/foreign-key-definition.js";
export { ForeignIdColumnDefinition, type ForeignIdTarget, type ForeignKeyType } from "./schema/blueprint.js";
export { IndexDefinition } from "./schema/index-definition.js";
export { SchemaBuilder } from "./schema/schema-builder.js";
export { raw, RawExpression, type SchemaCommand } from "./schema/commands.js";
export type { CompiledQuery } from "./grammar/grammar.js";
export * from "./errors.js";
export { migrateTenants, type MigrateTenantsOptions } from "./tenants/migrate-tenants.js";
export { TenantFleet, type FleetOptions, type TenantTask, type TenantContext, type TenantWork, type TenantStartEvent, type TaskSpec } from "./tenants/fleet.js";
export { migrateTask, rollbackTask, freshTask, statusTask, seedTask } from "./tenants/tenant-tasks.js";
export type { Tenant, TenantReport, TenantResult, TenantStatus } from "./tenants/tenant.js";
export type { TenantsSetting, TenantList, TenantConnection } from "./config/tenants-setting.js";
