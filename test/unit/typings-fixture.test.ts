import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import { REPO_ROOT, runNode } from "../support/project.js";

// test/types-fixture holds migrations as users write them, compiled with `tsc --strict`
// against the typings Mortar publishes (dist/src/index.d.ts, through the fixture's `paths`).
// Its negative/ folder holds wrong calls that must each be rejected, so a typing that
// accepts anything (`any` leaking into the published API) fails this test too.

const FIXTURE = join(REPO_ROOT, "test", "types-fixture");
const TSC = join(dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin", "tsc");

async function typeCheck(project: string): Promise<{ code: number; output: string }> {
  const { code, stdout, stderr } = await runNode([TSC, "--noEmit", "--strict", "--pretty", "false", "-p", project], REPO_ROOT);
  return { code, output: stdout + stderr };
}

/** `file(line,col): error TS…` → the line numbers of errors in `file`. */
function errorLines(output: string, file: string): number[] {
  const lines = new Set<number>();
  for (const match of output.matchAll(/^(.+?)\((\d+),\d+\): error TS\d+/gm)) {
    if (match[1]!.endsWith(file)) lines.add(Number(match[2]));
  }
  return [...lines].sort((a, b) => a - b);
}

describe("typings in user code (tsc --strict against dist/src/index.d.ts)", () => {
  test("typical migrations type-check: many column types, arrow callbacks returning anything, foreign keys, await using", async () => {
    const { code, output } = await typeCheck(FIXTURE);
    assert.equal(code, 0, `tsc -p test/types-fixture failed:\n${output}`);
  });

  test("wrong calls are rejected, each on its own line and nothing else", async () => {
    const file = "wrong-calls.ts";
    const source = readFileSync(join(FIXTURE, "negative", file), "utf8").split("\n");
    const marked = source.flatMap((line, index) => (/\/\/ error$/.test(line.trimEnd()) ? [index + 1] : []));
    assert.ok(marked.length >= 10, `expected the negative fixture to mark its wrong calls; found ${marked.length}`);
    const { code, output } = await typeCheck(join(FIXTURE, "negative"));
    assert.notEqual(code, 0, "the negative fixture type-checked: the published typings accept wrong calls");
    assert.deepEqual(errorLines(output, file), marked, `errors must fall exactly on the marked lines:\n${output}`);
  });
});
