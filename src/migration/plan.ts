import { MigrationFileError, NothingSelectedError } from "../errors.js";
import type { MigrationFile } from "./migration-file.js";
import type { SafeStep } from "../grammar/safe-plan.js";

/** A row of the tracking table, as the planner needs it. */
export interface RanMigration {
  readonly id: number;
  readonly migration: string;
  readonly batch: number;
  readonly checksum: string | null;
  /** `ran`, or `running`/`failed` for a non-transactional run that did not finish. Default `ran`. */
  readonly status?: "ran" | "running" | "failed";
  /** For an unfinished run: the statements that did run, and the error. */
  readonly statements?: readonly string[];
  /** For an unfinished run: the statement that failed or was in flight; it may have partly run. */
  readonly partialStatement?: string | null;
  readonly error?: string | null;
  /** Safe execution: the steps left after the migration's commit, how many are done, the run's token. */
  readonly safeSteps?: { readonly steps: readonly SafeStep[]; readonly done: number; readonly token: string; readonly rollback?: boolean };
}

export interface Step {
  readonly name: string;
  readonly file: MigrationFile;
  readonly direction: "up" | "down";
  /** The batch the migration is (up) or was (down) recorded in. */
  readonly batch: number;
}

export interface MigratePlanOptions {
  /** Give each migration its own batch. */
  readonly step?: boolean;
  /** Run only this pending migration. */
  readonly migration?: string;
}

/** Pending files in name order, each with the batch it will be recorded in. Pure. */
export function planMigrate(
  files: readonly MigrationFile[],
  ran: readonly RanMigration[],
  nextBatch: number,
  options: MigratePlanOptions = {},
): Step[] {
  const ranNames = new Set(ran.map((r) => r.migration));
  let pending = files.filter((f) => !ranNames.has(f.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (options.migration !== undefined) {
    const name = stripExtension(options.migration);
    if (ranNames.has(name)) return [];
    pending = pending.filter((f) => f.name === name);
    if (pending.length === 0) throw new NothingSelectedError("migration", options.migration, "no migration file of that name");
  }
  return pending.map((file, i) => ({
    name: file.name,
    file,
    direction: "up",
    batch: options.step ? nextBatch + i : nextBatch,
  }));
}

export interface RollbackPlanOptions {
  /** Roll back the last N migrations (whatever their batches). */
  readonly step?: number;
  /** Roll back every migration of batch N. */
  readonly batch?: number;
  /** Roll back only this migration. */
  readonly migration?: string;
  /** Roll back everything (reset). */
  readonly all?: boolean;
}

/**
 * Ran migrations to undo, in rollback order (batch descending, then id descending).
 * Every one must still have its file: a rollback that would stop half-way because a
 * file is gone is refused before anything runs. Pure.
 */
export function planRollback(
  files: readonly MigrationFile[],
  ran: readonly RanMigration[],
  options: RollbackPlanOptions = {},
): Step[] {
  const ordered = [...ran].sort((a, b) => b.batch - a.batch || b.id - a.id);
  let selected: RanMigration[];
  if (options.migration !== undefined) {
    const name = stripExtension(options.migration);
    selected = ordered.filter((r) => r.migration === name);
    if (selected.length === 0) throw new NothingSelectedError("migration", options.migration, "that migration has not run");
  } else if (options.batch !== undefined) {
    selected = ordered.filter((r) => r.batch === options.batch);
    if (selected.length === 0) {
      const batches = [...new Set(ordered.map((r) => r.batch))].sort((a, b) => a - b);
      throw new NothingSelectedError("batch", options.batch, `no migration ran in that batch (batches: ${batches.join(", ") || "none"})`);
    }
  } else if (options.all) {
    selected = ordered;
  } else if (options.step !== undefined) {
    selected = ordered.slice(0, options.step);
  } else {
    const last = ordered[0]?.batch;
    selected = ordered.filter((r) => r.batch === last);
  }
  const byName = new Map(files.map((f) => [f.name, f]));
  const missing = selected.filter((r) => !byName.has(r.migration)).map((r) => r.migration);
  if (missing.length > 0) {
    throw new MigrationFileError(
      missing[0]!,
      `file is missing, so it cannot be rolled back${missing.length > 1 ? ` (also missing: ${missing.slice(1).join(", ")})` : ""}`,
    );
  }
  return selected.map((r) => ({ name: r.migration, file: byName.get(r.migration)!, direction: "down", batch: r.batch }));
}

export type MigrationState = "ran" | "pending" | "modified" | "missing" | "failed";

export interface StatusRow {
  readonly name: string;
  readonly status: MigrationState;
  readonly batch: number | null;
  /** A failed row's statement that may have partly run. */
  readonly partialStatement?: string;
  /** Safe execution stopped between steps: `done` of `total` steps after the commit ran. */
  readonly step?: { readonly done: number; readonly total: number };
}

/**
 * Every migration known from files or the tracking table, in name order. `checksums`
 * holds the current file checksums; a ran migration whose stored checksum differs is
 * `modified`. Pure.
 */
export function planStatus(
  files: readonly MigrationFile[],
  ran: readonly RanMigration[],
  checksums: ReadonlyMap<string, string>,
): StatusRow[] {
  const ranByName = new Map(ran.map((r) => [r.migration, r]));
  const fileNames = new Set(files.map((f) => f.name));
  // Files come sorted from discovery; only missing ones (rows without a file) need placing.
  const names = files.map((f) => f.name);
  let sorted = names.every((name, i) => i === 0 || names[i - 1]! < name);
  for (const row of ran) {
    if (!fileNames.has(row.migration)) {
      names.push(row.migration);
      sorted = false;
    }
  }
  if (!sorted) names.sort();
  return names.map((name) => {
    const row = ranByName.get(name);
    if (!row) return { name, status: "pending", batch: null };
    if (row.status && row.status !== "ran") {
      return {
        name,
        status: "failed",
        batch: row.batch,
        ...(row.partialStatement ? { partialStatement: row.partialStatement } : {}),
        ...(row.safeSteps ? { step: { done: row.safeSteps.done, total: row.safeSteps.steps.length } } : {}),
      };
    }
    if (!fileNames.has(name)) return { name, status: "missing", batch: row.batch };
    const current = checksums.get(name);
    const modified = row.checksum !== null && current !== undefined && current !== row.checksum;
    return { name, status: modified ? "modified" : "ran", batch: row.batch };
  });
}

/** Accept `2026_…_name.ts` (or a path to it) as well as the bare name. */
function stripExtension(name: string): string {
  return name.replace(/^.*[\\/]/, "").replace(/\.(ts|mts|cts|js|mjs|cjs)$/, "");
}

/** Migrations a non-transactional run left unfinished: they must be settled before going on. */
export function unsettled(ran: readonly RanMigration[]): RanMigration[] {
  return ran.filter((r) => r.status !== undefined && r.status !== "ran");
}

export interface ValidationProblem {
  readonly name: string;
  readonly problem: "modified" | "missing" | "failed" | "out of order";
}

/**
 * What `migrate:validate` fails on: an applied migration that was modified, is missing
 * or did not finish, and a pending migration that sorts before an applied one (it
 * would run after migrations written later than it). Pure.
 */
export function validate(rows: readonly StatusRow[]): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const lastApplied = rows.filter((r) => r.status !== "pending").map((r) => r.name).sort().at(-1);
  for (const row of rows) {
    if (row.status === "modified" || row.status === "missing" || row.status === "failed") problems.push({ name: row.name, problem: row.status });
    else if (row.status === "pending" && lastApplied !== undefined && row.name < lastApplied) problems.push({ name: row.name, problem: "out of order" });
  }
  return problems;
}
