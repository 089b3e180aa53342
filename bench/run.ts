import { cpus, totalmem } from "node:os";
import { resolve } from "node:path";
import type { DialectName } from "../src/dialect/dialect.js";
import { writeJson, type ResultRow } from "./lib/contenders.js";
import { BENCH_DIR } from "./lib/paths.js";
import { growth } from "./workloads/growth.js";
import { indexStall } from "./workloads/index-stall.js";
import { lintOffline } from "./workloads/lint-offline.js";
import { load2000 } from "./workloads/load-2000.js";
import { migrate200 } from "./workloads/migrate-200.js";
import { schemaLoad, schemaLoadShapes } from "./workloads/schema-load.js";
import { status2000 } from "./workloads/status-2000.js";
import { tenantsBench } from "./tenants.js";
import { testDatabases } from "./test-databases.js";

/**
 * `npm run bench`: every workload, each figure a ratio against a reference measured in
 * the same run (contenders alternated, median of RUNS runs after a warm-up).
 * BENCH_RUNS=5, BENCH_DIALECTS=sqlite,postgres,mysql,
 * BENCH_ONLY=migrate-200,status-2000,load-2000,growth,lint-offline,index-stall,test-databases
 * (index-stall: PostgreSQL only, at most 3 runs, each seeding a million rows;
 * and `schema-load`, schema:load against replaying 300 migrations of two shapes: minutes long, so only when named;
 * and `tenants`, the fleet benchmark of bench/tenants.ts: minutes long, so only when named)
 */
const runs = Number(process.env.BENCH_RUNS ?? 5);
const dialects = (process.env.BENCH_DIALECTS ?? "sqlite,postgres,mysql").split(",") as DialectName[];
const only = new Set((process.env.BENCH_ONLY ?? "migrate-200,status-2000,load-2000,growth,lint-offline,index-stall,test-databases").split(","));

const rows: ResultRow[] = [];
const report = (batch: ResultRow[]) => {
  rows.push(...batch);
  for (const r of batch) {
    console.log(
      `${r.workload.padEnd(12)} ${r.dialect.padEnd(9)} ${r.contender.padEnd(32)} ${String(r.medianMs).padStart(9)} ms  ${String(r.ratio).padStart(5)} × ${r.reference.padEnd(30)} peak ${Math.round(r.peakRssKiB / 1024)} MiB`,
    );
  }
};

console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB; median of ${runs} runs`);
if (only.has("load-2000")) report(await load2000(runs));
if (only.has("lint-offline")) report(await lintOffline(runs));
for (const dialect of dialects) {
  if (only.has("migrate-200")) report(await migrate200(dialect, runs));
  if (only.has("status-2000")) report(await status2000(dialect, runs));
  if (only.has("growth")) report(await growth(dialect, runs));
  if (only.has("index-stall") && dialect === "postgres") report(await indexStall(runs));
  if (only.has("test-databases")) report(await testDatabases(dialect, runs));
  if (only.has("schema-load")) for (const shape of schemaLoadShapes) report(await schemaLoad(shape, dialect, runs));
}
if (only.has("tenants")) report(await tenantsBench());
const file = writeJson(resolve(BENCH_DIR, "results.json"), {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  runs,
  rows,
});
console.log(`written ${file}`);
