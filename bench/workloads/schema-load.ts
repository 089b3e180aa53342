import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DialectName } from "../../src/dialect/dialect.js";
import { compare, type Contender, type ResultRow } from "../lib/contenders.js";
import { createBenchDatabase, type BenchDatabase } from "../lib/databases.js";
import { writeMortarProject } from "../lib/generate.js";
import { writeHistoryProject } from "../lib/generate-history.js";
import { measureNode } from "../lib/measure.js";
import { MORTAR_BIN, REPO_ROOT } from "../lib/paths.js";

const COUNT = 300;

/** The two projects of 300 migrations the dump squashes. */
const SHAPES = {
  // migrate-200's generated tables, one per migration: keys, a unique and a plain index,
  // a foreign key to the previous table, defaults, timestamps. The dump holds as much DDL
  // as the migrations run: the least a squash can save.
  "schema-load": (dir: string) => writeMortarProject(dir, COUNT, REPO_ROOT),
  // 60 of those tables, each then altered four times (a column and index added, a rename,
  // a type change, a unique column added): the dump holds 60 tables' DDL, the replay 300
  // migrations' — the history a squash is for.
  "sl-history": (dir: string) => writeHistoryProject(dir, COUNT, REPO_ROOT),
} as const;

export const schemaLoadShapes = Object.keys(SHAPES) as (keyof typeof SHAPES)[];

/**
 * schema-load: what `schema:dump` saves a project of 300 migrations of one of SHAPES.
 * Both contenders are the real binary on a database
 * created empty for that run, so process start-up, config and connection count alike:
 * - `migrate (replay 300)`: `mortar migrate` with no dump file, every migration run;
 * - `schema:load`: `mortar schema:load --file` of the dump written once, untimed, from
 *   a database the 300 migrations built.
 * - `schema:load --pretend`: the same process without the DDL (see below).
 * The dump lives outside databases/schema so that `migrate` never finds it.
 */
export async function schemaLoad(shape: keyof typeof SHAPES, dialect: DialectName, runs: number): Promise<ResultRow[]> {
  const dir = mkdtempSync(join(tmpdir(), "mortar-bench-sload-"));
  const project = join(dir, "project");
  const dump = join(dir, `${dialect}-schema.sql`);
  let serial = 0;
  const live = new Set<BenchDatabase>();
  try {
    SHAPES[shape](project);

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
      shape,
      dialect,
      [
        contender("migrate (replay 300)", [MORTAR_BIN, "migrate"]),
        contender("schema:load", [MORTAR_BIN, "schema:load", "--file", dump]),
        // Not a target: start-up, config, connecting, reading and splitting the dump, and
        // no DDL: what is left of schema:load once the server's work is taken away.
        contender("schema:load --pretend", [MORTAR_BIN, "schema:load", "--file", dump, "--pretend"]),
      ],
      "schema:load",
      runs,
    );
  } finally {
    await Promise.all([...live].map((d) => d.drop()));
    rmSync(dir, { recursive: true, force: true });
  }
}
