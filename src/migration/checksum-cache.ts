import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { findCacheDir } from "./cache-dir.js";
import { checksumOfSource } from "./loader.js";
import type { MigrationFile } from "./migration-file.js";

/** path → [mtimeMs, size, checksum] */
type Entries = Record<string, [number, number, string]>;

const FILE = "checksums-v1.json";

/**
 * Current checksums of `files`. `migrate` and `migrate:status` compare every applied
 * migration's file with its recorded checksum; reading and hashing thousands of files
 * each run would make both grow with the history. Like git's index, a checksum is
 * reused while the file's modification time and size are unchanged (kept in
 * `node_modules/.cache/mortar/checksums-v1.json`), and recomputed otherwise.
 */
export function currentChecksums(folder: string, files: readonly MigrationFile[]): Map<string, string> {
  const cacheDir = findCacheDir(folder);
  const cacheFile = cacheDir ? join(cacheDir, FILE) : undefined;
  const known = cacheFile ? readEntries(cacheFile) : {};
  const next: Entries = {};
  const checksums = new Map<string, string>();
  let changed = false;
  for (const file of files) {
    const { mtimeMs, size } = statSync(file.path);
    const entry = known[file.path];
    let checksum: string;
    if (entry && entry[0] === mtimeMs && entry[1] === size) checksum = entry[2];
    else {
      checksum = checksumOfSource(readFileSync(file.path, "utf8"));
      changed = true;
    }
    next[file.path] = [mtimeMs, size, checksum];
    checksums.set(file.name, checksum);
  }
  if (cacheFile && (changed || Object.keys(known).length !== files.length)) writeEntries(cacheDir!, cacheFile, next);
  return checksums;
}

function readEntries(file: string): Entries {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
    return parsed && typeof parsed === "object" ? (parsed as Entries) : {};
  } catch {
    return {};
  }
}

/** Best effort: a read-only node_modules only costs the next run its speed. */
function writeEntries(dir: string, file: string, entries: Entries): void {
  try {
    mkdirSync(dir, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(entries));
    renameSync(temporary, file);
  } catch {
    // ignored on purpose: see above
  }
}
