// Diagnostic, not part of `npm run bench`: how much of a migrate run is code running for
// the first time in the process. Runs Migrator.migrate() over the same 200 generated
// migrations four times in ONE process, each time into a fresh SQLite file; the first
// round pays V8's cold start (every function of Mortar and of the migrations interpreted
// or compiled for the first time), the later ones run warm code.
// Usage (after `npm run build`): node bench/cold-vs-warm.mjs
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeMortarProject } from "../dist/bench/lib/generate.js";
import { REPO_ROOT } from "../dist/bench/lib/paths.js";
import { connect, Migrator } from "../dist/mortar.mjs";

const dir = mkdtempSync(join(tmpdir(), "mortar-cold-warm-"));
try {
  writeMortarProject(dir, 200, REPO_ROOT);
  const path = join(dir, "databases/migrations");
  // Compile the TypeScript once, untimed, so the rounds differ only in warmth. A separate
  // process: this one must stay cold for round 0.
  const { spawnSync } = await import("node:child_process");
  const warmUp = spawnSync(process.execPath, [join(REPO_ROOT, "bin/mortar.js"), "migrate", "--pretend"], { cwd: dir });
  if (warmUp.status !== 0) throw new Error(`warm-up failed: ${warmUp.stderr}`);
  for (let round = 0; round < 4; round++) {
    const file = join(dir, `round-${round}.sqlite`);
    const db = await connect({ driver: "sqlite", database: file });
    const started = performance.now();
    const result = await new Migrator(db, { path }).migrate();
    const ms = performance.now() - started;
    await db.close();
    if (result.error) throw new Error(result.error.message);
    console.log(`round ${round}: ${ms.toFixed(1)} ms for ${result.migrations.length} migrations`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
