import type { CommandOf, SchemaCommand, SchemaCommandKind } from "../../schema/commands.js";
import type { ColumnInfo } from "../../schema/live-schema.js";
import type { LintContext, LintOperation, RuleOutcome } from "../lint-rule.js";

/**
 * What every rule shares: reading the operation, deciding whether a table is busy, and
 * wording the facts a finding reports. Pure, like the rules.
 */

export const NONE: readonly RuleOutcome[] = [];

export function finding(message: string, fix: string): RuleOutcome[] {
  return [{ kind: "finding", message, fix }];
}

export function undecided(reason: string): RuleOutcome[] {
  return [{ kind: "undecided", reason }];
}

/** The schema command when the operation is one of `kinds`, else undefined. */
export function commandOf<K extends SchemaCommandKind>(operation: LintOperation, ...kinds: K[]): CommandOf<K> | undefined {
  if (operation.kind !== "schema") return undefined;
  return (kinds as SchemaCommandKind[]).includes(operation.command.kind) ? (operation.command as CommandOf<K>) : undefined;
}

/** The table a command works on (a rename's old name: the one running code knows). */
export function tableOf(command: SchemaCommand): string {
  return command.kind === "renameTable" ? command.from : command.table;
}

/** `"users"`: how messages name tables and columns. */
export function q(name: string): string {
  return `"${name}"`;
}

/** `"users"."email"`. */
export function qc(table: string, column: string): string {
  return `${q(table)}.${q(column)}`;
}

/** `1,200,000`: a row estimate as people read it. */
export function formatRows(rows: number): string {
  return Math.max(0, Math.round(rows)).toLocaleString("en-US");
}

/**
 * Why `table` counts as busy, in words for a message: the live row estimate when there is
 * one, else what the migration files tell.
 */
export function busyReason(table: string, context: LintContext): string {
  const facts = context.facts(table);
  if (facts.rowEstimate !== undefined) {
    const rows = Math.round(facts.rowEstimate);
    return `${q(table)} holds about ${formatRows(rows)} ${rows === 1 ? "row" : "rows"}`;
  }
  if (facts.existsLive === true) return `${q(table)} already exists and holds rows`;
  return `${q(table)} was created by an earlier migration, so it may already hold rows in production`;
}

/** The "could not decide" reason of a lock rule that lacks the busy fact. */
export function busyUnknown(table: string): string {
  return `whether ${q(table)} already exists and holds rows is not known: no earlier migration file creates it and no live database was read (--offline)`;
}

/**
 * The gate of every lock rule (spec §9): nothing on a table that is not busy (created in
 * this migration, or live and empty), "could not decide" when busy is unknown, and the
 * finding otherwise, worded with `busyReason`.
 */
export function whenBusy(table: string, context: LintContext, report: (reason: string) => readonly RuleOutcome[]): readonly RuleOutcome[] {
  if (context.facts(table).createdInThisMigration) return NONE;
  const busy = context.busy(table);
  if (busy === false) return NONE;
  if (busy === undefined) return undecided(busyUnknown(table));
  return report(busyReason(table, context));
}

/**
 * Whether running application code can know `table`: not when this migration created it,
 * nor when the live database shows it does not exist yet (an earlier pending migration
 * creates it). Offline, a table an earlier file creates is assumed deployed.
 */
export function knownToRunningCode(table: string, context: LintContext): boolean {
  const facts = context.facts(table);
  return !facts.createdInThisMigration && facts.existsLive !== false;
}

/** The live column as it is before this migration; undefined when unknown or absent. */
export function liveColumn(table: string, column: string, context: LintContext): ColumnInfo | undefined {
  return context.facts(table).columns?.find((c) => c.name === column);
}

/** The major version of a `server_version` string ("15.4" → 15), or undefined. */
export function majorVersion(serverVersion: string | undefined): number | undefined {
  const match = serverVersion === undefined ? null : /^(\d+)/.exec(serverVersion.trim());
  return match ? Number(match[1]) : undefined;
}
