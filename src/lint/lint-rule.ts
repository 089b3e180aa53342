import type { SchemaCommand } from "../schema/commands.js";
import type { ColumnInfo, DialectName } from "../schema/live-schema.js";

/**
 * The contract between `mortar lint`'s engine and its rules (spec §9). The engine records
 * what a migration would do (schema commands and raw statements, nothing sent to the
 * database), gathers facts about the tables it touches, and asks every rule that applies to
 * the dialect about every operation. Rules are pure functions of the operation and the
 * facts, so each is unit-tested without a database.
 */

/** Every rule id of spec §9, in the order the README documents them. */
export const RULE_IDS = [
  "add-index-not-concurrent",
  "drop-index-not-concurrent",
  "add-foreign-key-validating",
  "add-check-validating",
  "set-not-null",
  "add-required-column",
  "add-column-volatile-default",
  "change-column-type",
  "rename-column",
  "rename-table",
  "drop-column",
  "drop-table",
  "add-unique-constraint",
  "add-primary-key",
  "json-not-jsonb",
  "mysql-table-copy",
  "mixed-ddl-and-dml",
  "raw-sql",
] as const;

export type RuleId = (typeof RULE_IDS)[number];

/** One thing a migration would do, as recorded. */
export type LintOperation =
  | { readonly kind: "schema"; readonly command: SchemaCommand }
  /** A statement sent through `this.db.execute` / `query`; Mortar cannot see inside it. */
  | { readonly kind: "raw"; readonly sql: string };

/** What is known about a table when a migration is linted. */
export interface TableFacts {
  /** Created by an earlier operation of the migration being linted: no one else can be using it. */
  readonly createdInThisMigration: boolean;
  /** Created by an earlier migration file (pending or ran); what `--offline` knows. */
  readonly createdByEarlierMigration: boolean;
  /** Live only: the table existed before this migration. `undefined` offline. */
  readonly existsLive: boolean | undefined;
  /** Live only: the database's row estimate (PostgreSQL reltuples, MySQL table_rows, SQLite count). */
  readonly rowEstimate: number | undefined;
  /** Live only: the columns as they are before this migration. */
  readonly columns: readonly ColumnInfo[] | undefined;
}

export interface LintContext {
  readonly dialect: DialectName;
  /** True under `--offline`: no live facts, only the migration files. */
  readonly offline: boolean;
  /** Live only: `server_version` (PostgreSQL, e.g. "15.4") or `version()` (MySQL/MariaDB); undefined offline/SQLite. */
  readonly serverVersion: string | undefined;
  /** Every operation of the migration being linted, in order (for rules about the whole migration). */
  readonly operations: readonly LintOperation[];
  /** Whether the migration runs in a transaction (`static transaction`). */
  readonly transactional: boolean;
  facts(table: string): TableFacts;
  /**
   * Spec §9: busy means it already exists and holds rows (live), or was created by an
   * earlier migration (offline); never a table created earlier in the same migration.
   * `undefined` when that cannot be decided (offline, a table no migration file creates).
   */
  busy(table: string): boolean | undefined;
}

/** What a rule says about one operation. */
export type RuleOutcome =
  | { readonly kind: "finding"; readonly message: string; readonly fix: string }
  /** The rule needed a fact it does not have (offline); reported as "could not decide". */
  | { readonly kind: "undecided"; readonly reason: string };

export interface LintRule {
  readonly id: RuleId;
  /** The dialects the rule applies to; it is never asked about others. */
  readonly dialects: readonly DialectName[];
  /** One line for `mortar lint --help` and the README. */
  readonly summary: string;
  check(operation: LintOperation, context: LintContext): readonly RuleOutcome[];
}

/** A finding as reported (text, `--json`, SARIF). */
export interface Finding {
  readonly rule: RuleId;
  readonly migration: string;
  /** The operation in words, e.g. `addIndex "users_email_index" on "users"`. */
  readonly operation: string;
  readonly dialect: DialectName;
  readonly message: string;
  readonly fix: string;
}
