import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ResultRow } from "../lib/contenders.js";
import { writeMortarProject } from "../lib/generate.js";
import { median } from "../lib/measure.js";
import { MORTAR_BIN, REPO_ROOT } from "../lib/paths.js";

export const LINT_COUNT = 300;
/** The goal of issue 14: `mortar lint --offline` over 300 migration files in under this. */
export const LINT_GOAL_MS = 300;

/**
 * lint-offline: `mortar lint --offline` over 300 TypeScript migrations (the migrate-200
 * schema: a table each, with a foreign key to the previous one), against `node -e 0`
 * (the process floor). Timed from spawn to exit after one untimed warm-up, which builds
 * the compiled-migration cache as any second run finds it. Exit 1 (findings) is a
 * result, not a failure: what is timed is the lint.
 */
export async function lintOffline(runs: number): Promise<ResultRow[]> {
  const dir = mkdtempSync(join(tmpdir(), "mortar-bench-lint-"));
  try {
    writeMortarProject(dir, LINT_COUNT, REPO_ROOT);
    const contenders = [
      { name: "mortar lint --offline", args: [MORTAR_BIN, "lint", "--offline"] },
      { name: "node -e 0", args: ["-e", "0"] },
    ];
    const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
    for (const c of contenders) await timed(c.args, dir);
    for (let round = 0; round < runs; round++) {
      for (let k = 0; k < contenders.length; k++) {
        const c = contenders[(round + k) % contenders.length]!;
        samples.get(c.name)!.push(await timed(c.args, dir));
      }
    }
    const reference = median(samples.get("node -e 0")!);
    return contenders.map((c) => {
      const list = samples.get(c.name)!;
      const ms = median(list);
      return {
        workload: "lint-offline",
        dialect: "sqlite",
        contender: c.name,
        medianMs: Math.round(ms * 10) / 10,
        samplesMs: list.map((s) => Math.round(s * 10) / 10),
        peakRssKiB: 0,
        ratio: Math.round((ms / reference) * 100) / 100,
        reference: "node -e 0",
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Wall time of `node args…` in `cwd`, in milliseconds; exit 0 or 1 only. */
function timed(args: readonly string[], cwd: string): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [...args], { cwd, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NO_COLOR: "1" } });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d));
    child.stderr.on("data", (d: Buffer) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code === 0 || code === 1) resolvePromise(ms);
      else reject(new Error(`node ${args.join(" ")} exited ${code}\n${output}`.slice(0, 2000)));
    });
  });
}
