import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { findCacheDir } from "./cache-dir.js";
import { checksumOfSource } from "./loader.js";
import type { MigrationFile } from "./migration-file.js";

/** path relative to the migrations folder → [mtimeMs, size, checksum] */
type Entries = Record<string, [number, number, string]>;

/**
 * Current checksums of `files`. `migrate` and `migrate:status` compare every applied
 * migration's file with its recorded checksum; reading and hashing thousands of files
 * each run would make both grow with the history. Like git's index, a checksum is
 * reused while the file's modification time and size are unchanged (kept in
 * `node_modules/.cache/mortar/checksums-v2-<folder>.json`, one file per migrations
 * folder, keyed by path inside it), and recomputed otherwise.
 *
 * With `recorded` (the tracking table's checksums) a second shortcut applies: when the
 * files' paths, times and sizes and the recorded checksums are exactly those of a run
 * that found every file matching its record (that state is kept in `….clean`), the
 * recorded checksums are the current ones, and the per-file cache is not even read.
 */
export function currentChecksums(
  folder: string,
  files: readonly MigrationFile[],
  recorded?: ReadonlyMap<string, string | null>,
): Map<string, string> {
  const root = resolve(folder);
  const cacheDir = findCacheDir(root);
  const base = cacheDir ? join(cacheDir, `checksums-v2-${folderKey(root)}`) : undefined;
  if (!recorded || !base) return cachedChecksums(root, base, files);
  // One line per file; compared as a whole with the state of the last clean run.
  const lines = files.map((file) => {
    const { mtimeMs, size } = statSync(file.path);
    return `${keyOf(root, file)}\t${mtimeMs}\t${size}\t${recorded.get(file.name) ?? ""}`;
  });
  const state = lines.join("\n");
  if (readText(`${base}.clean`) === state) {
    const checksums = new Map<string, string>();
    for (const file of files) {
      const checksum = recorded.get(file.name);
      if (checksum != null) checksums.set(file.name, checksum);
    }
    if (checksums.size === files.length) return checksums;
  }
  const checksums = cachedChecksums(root, base, files);
  if (files.every((file) => recorded.get(file.name) === checksums.get(file.name))) writeAtomically(cacheDir!, `${base}.clean`, state);
  return checksums;
}

function cachedChecksums(root: string, base: string | undefined, files: readonly MigrationFile[]): Map<string, string> {
  const cacheFile = base ? `${base}.json` : undefined;
  const known = cacheFile ? readEntries(cacheFile) : {};
  const checksums = new Map<string, string>();
  let changed = false;
  files.forEach((file) => {
    const key = keyOf(root, file);
    const { mtimeMs, size } = statSync(file.path);
    const entry = known[key];
    if (entry && entry[0] === mtimeMs && entry[1] === size) {
      checksums.set(file.name, entry[2]);
      return;
    }
    const checksum = checksumOfSource(readFileSync(file.path, "utf8"));
    known[key] = [mtimeMs, size, checksum];
    checksums.set(file.name, checksum);
    changed = true;
  });
  // Rewritten only when something changed or files went away: a run over an unchanged
  // history reads the cache and writes nothing.
  if (cacheFile && (changed || Object.keys(known).length !== files.length)) {
    const current: Entries = {};
    for (const file of files) current[keyOf(root, file)] = known[keyOf(root, file)]!;
    writeAtomically(dirname(cacheFile), cacheFile, JSON.stringify(current));
  }
  return checksums;
}

const keyOf = (root: string, file: MigrationFile) => (file.path.startsWith(root + sep) ? file.path.slice(root.length + 1) : file.path);

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** A short, stable name for a folder (FNV-1a of its absolute path): no crypto needed. */
function folderKey(path: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) {
    hash ^= path.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
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
function writeAtomically(dir: string, file: string, text: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } catch {
    // ignored on purpose: see above
  }
}
