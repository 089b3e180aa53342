import type { RunResult } from "../migration/migrator.js";
import type { LiveProgress } from "./live-progress.js";
import type { Output } from "./output.js";

/**
 * `--pretend`: each migration's name, then every statement it would run, each ending in
 * `;` so the listing pastes into a SQL console as it is.
 */
export function renderPretend(out: Output, result: RunResult, progress?: LiveProgress): void {
  if (result.loadedSchema?.statements) {
    out.line(`  ${out.color.bold(`schema dump ${result.loadedSchema.path}`)}`);
    for (const sql of result.loadedSchema.statements) out.line(`  ${out.color.gray("⇂")} ${terminated(sql)}`);
    out.line();
  }
  for (const migration of result.migrations) {
    progress?.pretendHeader(migration.name);
    out.line(`  ${out.color.bold(migration.name)}`);
    for (const sql of migration.statements ?? []) out.line(`  ${out.color.gray("⇂")} ${terminated(sql)}`);
    out.line();
  }
}

/** The statement with one `;` at its end: added when missing, never doubled. */
export function terminated(sql: string): string {
  const trimmed = sql.trimEnd();
  return trimmed.endsWith(";") ? trimmed : `${trimmed};`;
}
