import { cpus } from "node:os";
import { LINT_COUNT, LINT_GOAL_MS, lintOffline } from "./workloads/lint-offline.js";

/**
 * `npm run build && node dist/bench/lint-offline.js`: times `mortar lint --offline` over
 * 300 migration files (median of BENCH_RUNS runs, default 7) and says whether it meets
 * the goal. Also part of `npm run bench` as the workload `lint-offline`.
 */
const runs = Number(process.env.BENCH_RUNS ?? 7);
console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}; median of ${runs} runs`);
const rows = await lintOffline(runs);
for (const r of rows) console.log(`${r.contender.padEnd(24)} ${String(r.medianMs).padStart(8)} ms   samples ${r.samplesMs.join(", ")}`);
const lint = rows.find((r) => r.contender.startsWith("mortar"))!;
console.log(`${LINT_COUNT} files: ${lint.medianMs} ms (goal under ${LINT_GOAL_MS} ms): ${lint.medianMs < LINT_GOAL_MS ? "met" : "NOT met"}`);
