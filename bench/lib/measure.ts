import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { BENCH_DIR } from "./paths.js";

export interface Sample {
  readonly ms: number;
  /** Peak resident set size of the process, KiB. */
  readonly rssKiB: number;
}

/**
 * Run `node args…` to completion and measure its wall time from spawn to exit, and its
 * peak memory (read by a preload, so every contender pays the same tiny cost).
 * A non-zero exit is an error: a benchmark of a failing run measures nothing.
 */
export async function measureNode(args: readonly string[], cwd: string, env: Record<string, string>): Promise<Sample> {
  const dir = mkdtempSync(join(tmpdir(), "mortar-bench-rss-"));
  const rssFile = join(dir, "rss");
  try {
    const started = process.hrtime.bigint();
    const { code, stderr, stdout } = await run(
      process.execPath,
      ["--require", resolve(BENCH_DIR, "maxrss.cjs"), ...args],
      cwd,
      { ...env, MORTAR_BENCH_RSS_FILE: rssFile },
    );
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (code !== 0) throw new Error(`node ${args.join(" ")} exited ${code}\n${stderr}\n${stdout}`.slice(0, 2000));
    const rss = readFileSync(rssFile, "utf8").trim().split("\n").map(Number);
    return { ms, rssKiB: Math.max(...rss) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(command: string, args: readonly string[], cwd: string, env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolvePromise, reject) => {
    const child = spawn(command, [...args], { cwd, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NO_COLOR: "1", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
  });
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
