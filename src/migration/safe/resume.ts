import type { RanMigration } from "../plan.js";
import type { MigrationRepository } from "../repository.js";
import { runDeferredSteps } from "./deferred-steps.js";
import type { SafeRunContext } from "./lock-retries.js";

/** A tracking row whose migration committed but whose steps after the commit did not all run. */
export function hasStepsLeft(row: RanMigration): boolean {
  return row.status !== undefined && row.status !== "ran" && row.safeSteps !== undefined && row.safeSteps.done < row.safeSteps.steps.length;
}

/**
 * Continue what earlier safe runs left between steps (killed, or a VALIDATE that failed
 * on bad data since fixed): the remaining steps run in order on the run's connection and
 * the row becomes `ran`. Returns the migrations it finished.
 */
export async function resumeSteps(
  safe: SafeRunContext,
  repository: MigrationRepository,
  ran: readonly RanMigration[],
  events: { start(name: string): void; end(name: string, durationMs: number): void },
): Promise<string[]> {
  const finished: string[] = [];
  for (const row of ran.filter(hasStepsLeft)) {
    const started = performance.now();
    events.start(row.migration);
    await runDeferredSteps(safe, repository, row.migration, row.safeSteps!);
    await repository.finish(row.migration, performance.now() - started);
    events.end(row.migration, Math.round(performance.now() - started));
    finished.push(row.migration);
  }
  return finished;
}
