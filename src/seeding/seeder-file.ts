import { existsSync } from "node:fs";
import { join } from "node:path";
import { UsageError, briefMessage } from "../errors.js";
import { defaultExport } from "../migration/loader.js";
import { displayPath } from "../util/display-path.js";
import { importModule } from "../util/import-module.js";
import { isSeederClass, type SeederClass } from "./seeder.js";
import { SeederFileError } from "./seeder-errors.js";

/** The seeder `db:seed` and `--seed` run when no other is named (Laravel's). */
export const DEFAULT_SEEDER = "DatabaseSeeder";

/** Extensions a seeder file may have, in the order they are looked for (TypeScript first, as written). */
export const SEEDER_EXTENSIONS = [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"] as const;

/** A seeder's name is its class and file name: `UserSeeder` → `UserSeeder.ts`. */
const SEEDER_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Refuse a name that is not a plain class name (a path, a dotted name, an empty string). */
export function assertSeederName(name: string, what: string): void {
  if (!SEEDER_NAME.test(name)) {
    throw new UsageError(`${what} "${name}" is not a seeder class name: use letters, digits and _ (e.g. UserSeeder)`);
  }
}

/**
 * The file of seeder `name` in `folder`: the first of `Name.ts`, `Name.mts`, … that
 * exists. A missing seeder is a usage mistake, and the message names what was looked for.
 */
export function locateSeeder(folder: string, name: string): string {
  assertSeederName(name, "seeder");
  for (const extension of SEEDER_EXTENSIONS) {
    const file = join(folder, `${name}${extension}`);
    if (existsSync(file)) return file;
  }
  const lookedFor = displayPath(join(folder, `${name}.{${SEEDER_EXTENSIONS.map((e) => e.slice(1)).join(",")}}`));
  throw new UsageError(`seeder ${name} not found: looked for ${lookedFor} (set seeders.path in the config file to use another folder)`);
}

/**
 * Import a seeder file (TypeScript through tsx, like a migration that imports relative
 * files: seeders import each other, so they stay where they are) and return its class.
 */
export async function loadSeeder(file: string): Promise<SeederClass> {
  const shown = displayPath(file);
  let module: Record<string, unknown>;
  try {
    module = await importModule(file);
  } catch (error) {
    throw new SeederFileError(shown, `cannot be loaded: ${briefMessage(error)}`, { cause: error });
  }
  const exported = defaultExport(module);
  if (exported === undefined) {
    throw new SeederFileError(shown, "has no default export: write `export default class … extends Seeder`");
  }
  if (!isSeederClass(exported)) {
    throw new SeederFileError(shown, 'its default export is not a class extending Seeder from "mortar"');
  }
  return exported;
}
