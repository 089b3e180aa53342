import type { RunResult } from "../migration/migrator.js";
import type { Output } from "./output.js";

/** `--pretend`: each migration's name, then every statement it would run. */
export function renderPretend(out: Output, result: RunResult): void {
  for (const migration of result.migrations) {
    out.line(`  ${out.color.bold(migration.name)}`);
    for (const sql of migration.statements ?? []) out.line(`  ${out.color.gray("⇂")} ${sql}`);
    out.line();
  }
}
