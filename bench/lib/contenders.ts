import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DialectName } from "../../src/dialect/dialect.js";
import { measureNode, median, type Sample } from "./measure.js";

/** One way of doing a workload's step: a node command in a folder with an environment. */
export interface Contender {
  readonly name: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Record<string, string>;
  /** Untimed set-up before each timed run (emptying its database, …). */
  readonly before?: () => Promise<void>;
  /** Untimed clean-up after each timed run. */
  readonly after?: () => Promise<void>;
}

export interface ResultRow {
  readonly workload: string;
  readonly dialect: DialectName | "-";
  readonly contender: string;
  readonly medianMs: number;
  readonly samplesMs: number[];
  readonly peakRssKiB: number;
  /** Median over the reference's median, measured in the same run. */
  readonly ratio: number;
  readonly reference: string;
}

/**
 * Run every contender `runs` times, alternating them (round r starts with contender
 * r mod n) so drift on the machine falls on all of them alike, after one untimed
 * warm-up each. Ratios are against `reference`, measured in the same rounds.
 */
export async function compare(
  workload: string,
  dialect: DialectName | "-",
  contenders: readonly Contender[],
  reference: string,
  runs: number,
): Promise<ResultRow[]> {
  const samples = new Map<string, Sample[]>(contenders.map((c) => [c.name, []]));
  const once = async (c: Contender) => {
    await c.before?.();
    try {
      return await measureNode(c.args, c.cwd, c.env);
    } finally {
      await c.after?.();
    }
  };
  for (const c of contenders) await once(c);
  for (let round = 0; round < runs; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const c = contenders[(round + k) % contenders.length]!;
      samples.get(c.name)!.push(await once(c));
    }
  }
  const ref = median(samples.get(reference)!.map((s) => s.ms));
  return contenders.map((c) => {
    const list = samples.get(c.name)!;
    const ms = median(list.map((s) => s.ms));
    return {
      workload,
      dialect,
      contender: c.name,
      medianMs: round1(ms),
      samplesMs: list.map((s) => round1(s.ms)),
      peakRssKiB: Math.max(...list.map((s) => s.rssKiB)),
      ratio: Math.round((ms / ref) * 100) / 100,
      reference,
    };
  });
}

export function writeJson(path: string, value: unknown): string {
  writeFileSync(path, JSON.stringify(value, null, 2));
  return path;
}

export const planPath = (dir: string) => join(dir, "floor-plan.json");

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
