import type { LintContext, LintOperation, TableFacts } from "../../src/lint/lint-rule.js";
import type { SchemaCommand } from "../../src/schema/commands.js";
import type { ColumnInfo, DialectName } from "../../src/schema/live-schema.js";

/**
 * Hand-built LintContexts for rule tests: the facts a live database or the migration
 * files would give, written out, with `busy` decided as spec §9 says.
 */

export type TableSetup = Partial<TableFacts>;

export interface ContextOptions {
  readonly dialect: DialectName;
  readonly offline?: boolean;
  readonly serverVersion?: string;
  readonly operations?: readonly LintOperation[];
  readonly transactional?: boolean;
  /** Facts per table; a table not listed is unknown (offline) or absent (live). */
  readonly tables?: Readonly<Record<string, TableSetup>>;
}

const UNKNOWN: TableFacts = {
  createdInThisMigration: false,
  createdByEarlierMigration: false,
  existsLive: undefined,
  rowEstimate: undefined,
  columns: undefined,
};

export function lintContext(options: ContextOptions): LintContext {
  const offline = options.offline ?? false;
  const facts = (table: string): TableFacts => {
    const given = options.tables?.[table];
    if (given) return { ...UNKNOWN, ...given };
    return offline ? UNKNOWN : { ...UNKNOWN, existsLive: false, rowEstimate: 0, columns: [] };
  };
  return {
    dialect: options.dialect,
    offline,
    serverVersion: options.serverVersion,
    operations: options.operations ?? [],
    transactional: options.transactional ?? options.dialect !== "mysql",
    facts,
    busy(table) {
      const f = facts(table);
      if (f.createdInThisMigration) return false;
      if (offline) return f.createdByEarlierMigration ? true : undefined;
      if (f.existsLive === undefined) return undefined;
      return f.existsLive && (f.rowEstimate ?? 0) > 0;
    },
  };
}

/** A live table that exists with `rows` rows and these columns. */
export function liveTable(rows: number, columns: readonly ColumnInfo[] = []): TableSetup {
  return { existsLive: true, rowEstimate: rows, columns, createdByEarlierMigration: true };
}

/** What `--offline` knows of a table an earlier migration file creates. */
export const EARLIER_FILE: TableSetup = { createdByEarlierMigration: true };

/** A table created by an earlier operation of the migration being linted. */
export const CREATED_HERE: TableSetup = { createdInThisMigration: true, existsLive: false, rowEstimate: 0, columns: [] };

/** A live column as an introspector reports it. */
export function liveColumnInfo(name: string, type: string, fields: Partial<ColumnInfo> = {}): ColumnInfo {
  const typeName = /^[a-z ]+/i.exec(type)?.[0]?.trim() ?? type;
  return { name, typeName, type, nullable: false, default: null, autoIncrement: false, comment: null, ...fields };
}

export function schemaOp(command: SchemaCommand): LintOperation {
  return { kind: "schema", command };
}

export function rawOp(sql: string): LintOperation {
  return { kind: "raw", sql };
}
