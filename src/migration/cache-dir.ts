import { existsSync } from "node:fs";
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

