import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Compiled to dist/bench/lib: the repository is three levels up. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const BENCH_DIR = resolve(REPO_ROOT, "bench");
export const MORTAR_BIN = resolve(REPO_ROOT, "bin/mortar.js");
export const KNEX_BIN = resolve(REPO_ROOT, "node_modules/knex/bin/cli.js");
