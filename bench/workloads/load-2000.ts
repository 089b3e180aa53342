import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import ts from "typescript";
import { compare, type ResultRow } from "../lib/contenders.js";
import { writeMortarProject } from "../lib/generate.js";
import { BENCH_DIR, REPO_ROOT } from "../lib/paths.js";

const COUNT = 2000;

/**
 * load-2000: importing 2,000 TypeScript migrations the way `migrate` does, against a
 * plain import() of the same files compiled to JavaScript beforehand. Mortar is measured
 * twice: with its compile cache warm (every run after the first on a machine) and cold
 * (a fresh temporary folder, as on a new container).
 */
export async function load2000(runs: number): Promise<ResultRow[]> {
  const dir = mkdtempSync(join(tmpdir(), "mortar-bench-load-"));
  try {
    const project = join(dir, "project");
    writeMortarProject(project, COUNT, REPO_ROOT);
    const source = join(project, "databases/migrations");
    const compiled = join(project, "compiled");
    mkdirSync(compiled);
    for (const name of readdirSync(source)) {
      const output = ts.transpileModule(readFileSync(join(source, name), "utf8"), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      });
      writeFileSync(join(compiled, name.replace(/\.ts$/, ".js")), output.outputText);
    }
    const cache = join(project, "node_modules/.cache");
    return await compare(
      "load-2000",
      "-",
      [
        { name: "plain import() of compiled JS", args: [resolve(BENCH_DIR, "load-plain.mjs"), compiled], cwd: project, env: {} },
        { name: "mortar, warm cache", args: [resolve(BENCH_DIR, "load-mortar.mjs"), REPO_ROOT, source], cwd: project, env: {} },
        {
          name: "mortar, cold cache",
          args: [resolve(BENCH_DIR, "load-mortar.mjs"), REPO_ROOT, source],
          cwd: project,
          env: {},
          // Every file compiled again, as on a fresh container.
          before: async () => rmSync(cache, { recursive: true, force: true }),
        },
      ],
      "plain import() of compiled JS",
      runs,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
