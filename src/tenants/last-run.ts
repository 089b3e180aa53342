import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ResolvedConfig } from "../config/load-config.js";
import { findCacheDir, writeAtomically } from "../migration/cache-dir.js";
import { sha256Hex } from "../util/hash.js";
import type { TenantReport } from "./tenant.js";

/** What `--only-failed` needs of the fleet runs so far. */
interface LastRun {
  readonly at: string;
  readonly failed: string[];
}

/**
 * The last fleet run's failed tenants live in the cache folder (node_modules/.cache/mortar,
 * else the system's temporary folder), one file per project folder, config file and
 * connection: two projects, or two connections of one, never read each other's.
 */
function lastRunFile(config: ResolvedConfig): { dir: string; file: string } {
  const dir = findCacheDir(config.cwd) ?? join(tmpdir(), "mortar-cache");
  const key = sha256Hex(JSON.stringify([config.cwd, config.configFile ?? "", config.connectionName, config.migrationsTable])).slice(0, 16);
  return { dir, file: join(dir, `tenants-last-run-${key}.json`) };
}

/**
 * Record which tenants failed. A tenant this run did not run (`--tenant`, `--only-failed`,
 * skipped by `--fail-fast`) keeps what the runs before said of it.
 */
export function saveLastRun(config: ResolvedConfig, report: TenantReport): void {
  const { dir, file } = lastRunFile(config);
  const ran = new Set(report.tenants.filter((t) => t.status !== "skipped").map((t) => t.id));
  const earlier = (lastFailed(config) ?? []).filter((id) => !ran.has(id));
  const failed = [...earlier, ...report.tenants.filter((t) => t.status === "failed").map((t) => t.id)];
  const record: LastRun = { at: new Date().toISOString(), failed };
  try {
    writeAtomically(dir, file, `${JSON.stringify(record)}\n`);
  } catch {
    // A read-only cache folder costs only --only-failed its memory, never the run.
  }
}

/** The ids that failed in the last run, or undefined when no run is recorded. */
export function lastFailed(config: ResolvedConfig): string[] | undefined {
  const { file } = lastRunFile(config);
  if (!existsSync(file)) return undefined;
  try {
    const record = JSON.parse(readFileSync(file, "utf8")) as Partial<LastRun>;
    return Array.isArray(record.failed) ? record.failed.filter((id): id is string => typeof id === "string") : undefined;
  } catch {
    return undefined;
  }
}
