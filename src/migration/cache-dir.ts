import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const cacheDirs = new Map<string, string | undefined>();

/**
 * `node_modules/.cache/mortar` of the nearest `node_modules` above the file: bare imports
 * such as `"mortar"` resolve from there exactly as they do from the file itself.
 */
export function findCacheDir(start: string): string | undefined {
  if (cacheDirs.has(start)) return cacheDirs.get(start);
  const found = searchCacheDir(start);
  cacheDirs.set(start, found);
  return found;
}

function searchCacheDir(start: string): string | undefined {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, "node_modules"))) return join(dir, "node_modules", ".cache", "mortar");
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}


/** Written under a temporary name and renamed: a concurrent run never reads half a file. */
export function writeAtomically(dir: string, target: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, target);
  return target;
}
