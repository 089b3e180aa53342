import type { DialectName } from "../schema/live-schema.js";
import type { LintContext, LintOperation, TableFacts } from "./lint-rule.js";
import type { LiveTableFacts } from "./live-facts.js";
import type { TableHistory } from "./table-history.js";

/** What the context of one operation is built from. */
export interface ContextInput {
  readonly dialect: DialectName;
  readonly offline: boolean;
  readonly serverVersion: string | undefined;
  readonly operations: readonly LintOperation[];
  readonly transactional: boolean;
  /** The migration being linted. */
  readonly migration: string;
  /** The tables as every operation before this one left them. */
  readonly history: TableHistory;
  /** Live facts read so far, by the table's name in the database (absent offline). */
  readonly live: ReadonlyMap<string, LiveTableFacts>;
}

const UNKNOWN_LIVE = { existsLive: undefined, rowEstimate: undefined, columns: undefined } as const;

/**
 * The facts of `table` just before an operation. A table created by a file that has not
 * run is known to exist by then, empty, with no live columns to read; one created (or
 * renamed) by a file that ran is read live under its current name.
 */
export function tableFacts(input: ContextInput, table: string): TableFacts {
  const origin = input.history.origin(table);
  const createdInThisMigration = origin?.kind === "created" && origin.migration === input.migration;
  const createdByEarlierMigration = origin?.kind === "created" && origin.migration !== input.migration;
  const files = { createdInThisMigration, createdByEarlierMigration };
  if (input.offline) return { ...files, ...UNKNOWN_LIVE };
  if (!origin) return { ...files, existsLive: false, rowEstimate: undefined, columns: undefined };
  if (origin.kind === "created" && !origin.ran) {
    return { ...files, existsLive: !createdInThisMigration, rowEstimate: 0, columns: undefined };
  }
  const live = input.live.get(origin.kind === "live" ? origin.liveName : table);
  if (!live) return { ...files, ...UNKNOWN_LIVE };
  return { ...files, existsLive: live.exists, rowEstimate: live.rowEstimate, columns: live.columns };
}

/**
 * Spec §9: busy when it already exists and holds rows (live), or was created by an
 * earlier migration (offline); never when created earlier in the same migration.
 */
export function isBusy(facts: TableFacts, offline: boolean): boolean | undefined {
  if (facts.createdInThisMigration) return false;
  if (offline) return facts.createdByEarlierMigration ? true : undefined;
  if (facts.existsLive === undefined) return undefined;
  if (!facts.existsLive) return false;
  return facts.rowEstimate === undefined ? undefined : facts.rowEstimate > 0;
}

export function lintContext(input: ContextInput): LintContext {
  return {
    dialect: input.dialect,
    offline: input.offline,
    serverVersion: input.serverVersion,
    operations: input.operations,
    transactional: input.transactional,
    facts: (table) => tableFacts(input, table),
    busy: (table) => isBusy(tableFacts(input, table), input.offline),
  };
}
