import type { Database } from "../../dialect/database.js";
import { MigrationFailedError } from "../../errors.js";
import type { RanMigration } from "../plan.js";
import type { MigrationRepository } from "../repository.js";
import { runDeferredSteps } from "./deferred-steps.js";
import type { SafeRunContext } from "./lock-retries.js";
import type { SafeSettings } from "./safe-options.js";

/** A tracking row whose migration committed but whose steps after the commit did not all run. */
export function hasStepsLeft(row: RanMigration): boolean {
  return row.status !== undefined && row.status !== "ran" && row.safeSteps !== undefined && row.safeSteps.done < row.safeSteps.steps.length;
}

/** The Migrator's events, as the resumed steps report them. */
type Emit = (event: "migration:start" | "migration:end" | "migration:error" | "migration:retry", payload: object) => unknown;

/**
 * Continue what earlier safe runs left between steps (killed, or a VALIDATE that failed
 * on bad data since fixed): the remaining steps run in order on the run's connection and
 * the row becomes `ran` (a rollback's row is deleted). Returns the migrations it finished.
 */
export async function resumeSteps(
  db: Database,
  repository: MigrationRepository,
  ran: readonly RanMigration[],
  settings: SafeSettings,
  emit: Emit,
): Promise<string[]> {
  const support = db.dialectFactory.safeExecution;
  if (!support) return [];
  const finished: string[] = [];
  for (const row of ran.filter(hasStepsLeft)) {
    const name = row.migration;
    const direction = row.safeSteps!.rollback ? "down" : "up";
    const started = performance.now();
    const safe: SafeRunContext = { db, support, settings, onRetry: (event) => emit("migration:retry", { name, direction, ...event }) };
    emit("migration:start", { name, direction });
    try {
      await runDeferredSteps(safe, repository, name, row.safeSteps!);
    } catch (error) {
      emit("migration:error", { name, direction, durationMs: Math.round(performance.now() - started), error: new MigrationFailedError(name, direction, error) });
      throw new MigrationFailedError(name, direction, error);
    }
    if (direction === "down") await repository.delete(name);
    else await repository.finish(name, performance.now() - started);
    emit("migration:end", { name, direction, durationMs: Math.round(performance.now() - started) });
    finished.push(name);
  }
  return finished;
}
