import { readdirSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import { ConfigError, MigrationFileError } from "../errors.js";
import { isIgnoredSilently, MIGRATION_FILE_PATTERN, type MigrationFile } from "./migration-file.js";
import { displayPath } from "../util/display-path.js";

export interface DiscoveredMigrations {
  readonly files: MigrationFile[];
  /** Files in the folder that do not match the naming pattern (reported as warnings). */
  readonly ignored: string[];
}

/**
 * Find every migration file under `dir` (sub-folders included), sorted by file name.
 * Two files with the same migration name are an error: the tracking table could not
 * tell them apart.
 */
export async function discoverMigrations(dir: string): Promise<DiscoveredMigrations> {
  const root = resolve(dir);
  let entries: string[];
  try {
    entries = listFiles(root, "");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new ConfigError(`${dir}: migrations folder does not exist (set migrations.path or --path)`);
    if (code === "ENOTDIR") throw new ConfigError(`${dir}: migrations path is not a folder (set migrations.path or --path)`);
    throw new MigrationFileError(dir, `cannot read migrations folder: ${(error as Error).message}`);
  }
  const byName = new Map<string, MigrationFile>();
  const ignored: string[] = [];
  for (const entry of entries) {
    const fileName = entry.slice(entry.lastIndexOf("/") + 1);
    const match = MIGRATION_FILE_PATTERN.exec(fileName);
    if (!match) {
      if (!isIgnoredSilently(fileName) && /\.[cm]?[jt]s$/.test(fileName)) ignored.push(entry);
      continue;
    }
    const name = match[1]!;
    // `root` is resolved and `entry` is plain names joined by "/": no normalizing needed
    // (path.join for every one of thousands of files is a measurable part of a run).
    const path = `${root}${sep}${sep === "/" ? entry : entry.replaceAll("/", sep)}`;
    const existing = byName.get(name);
    if (existing) {
      throw new MigrationFileError(
        displayPath(path),
        `migration name "${name}" is also used by ${displayPath(existing.path)}: rename or remove one of them`,
      );
    }
    byName.set(name, { name, path });
  }
  const files = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { files, ignored: ignored.sort() };
}

/**
 * Every file below `root` as a path relative to it, skipping node_modules. A synchronous
 * walk with file types: with thousands of migrations it is several times faster than
 * `fs.promises.readdir(…, { recursive: true })`, which `migrate` pays on every run.
 */
function listFiles(root: string, prefix: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(prefix ? join(root, prefix) : root, { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") files.push(...listFiles(root, path));
    } else {
      files.push(path);
    }
  }
  return files;
}
