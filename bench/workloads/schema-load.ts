import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DialectName } from "../../src/dialect/dialect.js";
import { compare, type Contender, type ResultRow } from "../lib/contenders.js";
import { createBenchDatabase, type BenchDatabase } from "../lib/databases.js";
import { writeMortarProject } from "../lib/generate.js";
import { measureNode } from "../lib/measure.js";
import { MORTAR_BIN, REPO_ROOT } from "../lib/paths.js";

const COUNT = 300;

/**
 * schema-load: what `schema:dump` saves a project of 300 migrations (migrate-200's
 * generated tables: keys, a unique and a plain index, a foreign key to the previous
 * table, defaults, timestamps). Both contenders are the real binary on a database
 * created empty for that run, so process start-up, config and connection count alike:
 * - `migrate (replay 300)`: `mortar migrate` with no dump file, every migration run;
 * - `schema:load`: `mortar schema:load --file` of the dump written once, untimed, from
 *   a database the 300 migrations built.
 * The dump lives outside databases/schema so that `migrate` never finds it.
 */
export async function schemaLoad(dialect: DialectName, runs: number): Promise<ResultRow[]> {
  const dir = mkdtempSync(join(tmpdir(), "mortar-bench-sload-"));
  const project = join(dir, "project");
  const dump = join(dir, `${dialect}-schema.sql`);
  let serial = 0;
  const live = new Set<BenchDatabase>();
  try {
    writeMortarProject(project, COUNT, REPO_ROOT);

    // The dump: 300 migrations replayed once, then `schema:dump --out` (untimed).
    const source = await createBenchDatabase(dialect, `sload_src_${dialect}`);
    try {
      await measureNode([MORTAR_BIN, "migrate"], project, source.env);
      await measureNode([MORTAR_BIN, "schema:dump", "--out", dump], project, source.env);
    } finally {
      await source.drop();
    }

    // A database of its own for every run, created before and dropped after, untimed.
    // measureNode reads `env` when it spawns, after `before` has pointed it at the new one.
    const contender = (name: string, args: string[]): Contender => {
      const env: Record<string, string> = {};
      let current: BenchDatabase | undefined;
      return {
        name,
        args,
        cwd: project,
        env,
        before: async () => {
          current = await createBenchDatabase(dialect, `sload_${dialect}_${++serial}`);
          live.add(current);
          for (const key of Object.keys(env)) delete env[key];
          Object.assign(env, current.env);
        },
        after: async () => {
          if (!current) return;
          live.delete(current);
          await current.drop();
          current = undefined;
        },
      };
    };
    return await compare(
      "schema-load",
      dialect,
      [contender("migrate (replay 300)", [MORTAR_BIN, "migrate"]), contender("schema:load", [MORTAR_BIN, "schema:load", "--file", dump])],
      "schema:load",
      runs,
    );
  } finally {
    await Promise.all([...live].map((d) => d.drop()));
    rmSync(dir, { recursive: true, force: true });
  }
}
