import { readFileSync, statSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { findCacheDir, writeAtomically } from "./cache-dir.js";
import { checksumOfSource, legacyChecksum, matchesBytes, sameCode } from "./checksum.js";
import type { MigrationFile } from "./migration-file.js";

/**
 * path relative to the migrations folder → [mtimeMs, size, checksum, bytes]: the file's
 * checksum (checksum.ts; "" until a comparison needed it, as it costs an esbuild
 * transform) and the SHA-256 of its normalized bytes, which alone decides most
 * comparisons and tells `verify` runs whether the checksum must be computed again.
 */
type Entry = [mtimeMs: number, size: number, checksum: string, bytes: string];
type Entries = Record<string, Entry>;

export interface ChecksumOptions {
  /**
   * Read and hash every file instead of trusting its modification time and size (for
   * `migrate:validate`, the CI gate: an edit that kept the size and restored the time
   * is still seen). Only the canonical form is reused, when the bytes are unchanged.
   */
  readonly verify?: boolean;
}

/**
 * Current checksums of `files`: per file, the recorded checksum when the file still
 * matches it (in whichever format it was recorded), its canonical checksum otherwise.
 * `migrate` and `migrate:status` compare every applied
 * migration's file with its recorded checksum; reading and hashing thousands of files
 * each run would make both grow with the history. Like git's index, a checksum is
 * reused while the file's modification time and size are unchanged (kept in
 * `node_modules/.cache/mortar/checksums-v3-<folder>.json`, one file per migrations
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
  options: ChecksumOptions = {},
): Map<string, string> {
  const root = resolve(folder);
  const cacheDir = findCacheDir(root);
  const base = cacheDir ? join(cacheDir, `checksums-v3-${folderKey(root)}`) : undefined;
  // One stat per file, shared by both shortcuts.
  const prefix = root + sep;
  const seen: SeenFile[] = files.map((file) => {
    const { mtimeMs, size } = statSync(file.path);
    return { file, key: file.path.startsWith(prefix) ? file.path.slice(prefix.length) : file.path, mtimeMs, size };
  });
  if (!recorded || !base) return cachedChecksums(base, seen, recorded, options);
  // One line per file; compared as a whole with the state of the last clean run.
  const state = seen.map((f) => `${f.key}\t${f.mtimeMs}\t${f.size}\t${recorded.get(f.file.name) ?? ""}`).join("\n");
  if (!options.verify && readText(`${base}.clean`) === state) {
    const checksums = new Map<string, string>();
    for (const file of files) {
      const checksum = recorded.get(file.name);
      if (checksum != null) checksums.set(file.name, checksum);
    }
    if (checksums.size === files.length) return checksums;
  }
  const checksums = cachedChecksums(base, seen, recorded, options);
  if (files.every((file) => recorded.get(file.name) === checksums.get(file.name))) bestEffortWrite(cacheDir!, `${base}.clean`, state);
  return checksums;
}

/** A file as this run found it: its key in the cache (path inside the folder), time and size. */
interface SeenFile {
  readonly file: MigrationFile;
  readonly key: string;
  readonly mtimeMs: number;
  readonly size: number;
}

function cachedChecksums(
  base: string | undefined,
  seen: readonly SeenFile[],
  recorded: ReadonlyMap<string, string | null> | undefined,
  { verify = false }: ChecksumOptions,
): Map<string, string> {
  const cacheFile = base ? `${base}.json` : undefined;
  const known = cacheFile ? readEntries(cacheFile) : {};
  const checksums = new Map<string, string>();
  let changed = false;
  for (const { file, key, mtimeMs, size } of seen) {
    let entry = known[key];
    let source: string | undefined;
    if (!entry || verify || entry[0] !== mtimeMs || entry[1] !== size) {
      source = readFileSync(file.path, "utf8");
      const bytes = legacyChecksum(source);
      // Unchanged bytes keep their canonical checksum: only a real change pays for esbuild.
      const fresh: Entry = [mtimeMs, size, entry && entry[3] === bytes ? entry[2] : "", bytes];
      if (!entry || fresh.some((value, i) => value !== entry![i])) changed = true;
      entry = known[key] = fresh;
    }
    const record = recorded?.get(file.name);
    // The bytes it was recorded from (any format): the canonical checksum, an esbuild
    // transform, is not even computed ("" in the cache until needed).
    if (record != null && matchesBytes(record, entry[3])) {
      checksums.set(file.name, record);
      continue;
    }
    if (!entry[2]) {
      entry[2] = checksumOfSource(source ?? readFileSync(file.path, "utf8"), file.path);
      changed = true;
    }
    // Other bytes, the same code: the compiled `.js` of the `.ts` that ran, or a reformatted file.
    checksums.set(file.name, record != null && sameCode(record, entry[2]) ? record : entry[2]);
  }
  // Rewritten only when something changed or files went away: a run over an unchanged
  // history reads the cache and writes nothing.
  if (cacheFile && (changed || Object.keys(known).length !== seen.length)) {
    const current: Entries = {};
    for (const { key } of seen) current[key] = known[key]!;
    bestEffortWrite(dirname(cacheFile), cacheFile, JSON.stringify(current));
  }
  return checksums;
}

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
    const parsed: unknown = JSON.parse(readText(file) ?? "{}");
    if (!parsed || typeof parsed !== "object") return {};
    // A hand-edited or truncated cache is ignored entry by entry rather than trusted.
    const entries: Entries = {};
    for (const [key, value] of Object.entries(parsed)) {
      if (Array.isArray(value) && value.length === 4 && typeof value[2] === "string" && typeof value[3] === "string") entries[key] = value as Entry;
    }
    return entries;
  } catch {
    return {};
  }
}

/** Best effort: a read-only node_modules only costs the next run its speed. */
function bestEffortWrite(dir: string, file: string, text: string): void {
  try {
    writeAtomically(dir, file, text);
  } catch {
    // ignored on purpose: see above
  }
}
