import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { findCacheDir, writeAtomically } from "./cache-dir.js";

/**
 * The code part of a canonical checksum is an esbuild transform of the file, and a
 * `migrate` of hundreds of new files would otherwise start esbuild's service and wait on
 * it every run. The code part is a pure function of the file's normalized bytes, so it is
 * kept by their hash (`node_modules/.cache/mortar/canonical-v1.json`): the same bytes
 * never need the transform twice. The bytes part of a checksum is always computed from
 * the file itself, so this cache can only save work, never decide a comparison alone.
 */
export class CanonicalCache {
  readonly #file: string | undefined;
  readonly #entries: Record<string, string>;
  #changed = false;

  private constructor(file: string | undefined, entries: Record<string, string>) {
    this.#file = file;
    this.#entries = entries;
  }

  /** The cache beside the migrations in `folder` (nothing is kept without a node_modules). */
  static near(folder: string): CanonicalCache {
    const cacheDir = findCacheDir(folder);
    const file = cacheDir ? join(cacheDir, "canonical-v1.json") : undefined;
    return new CanonicalCache(file, file ? readEntries(file) : {});
  }

  /** The code part recorded for these normalized bytes, if any. */
  get(bytesHex: string): string | undefined {
    const code = this.#entries[bytesHex];
    return typeof code === "string" ? code : undefined;
  }

  set(bytesHex: string, code: string): void {
    if (this.#entries[bytesHex] === code) return;
    this.#entries[bytesHex] = code;
    this.#changed = true;
  }

  /** Write what was added (best effort: a read-only node_modules only costs speed). */
  save(): void {
    if (!this.#changed || !this.#file) return;
    try {
      writeAtomically(dirname(this.#file), this.#file, JSON.stringify(this.#entries));
      this.#changed = false;
    } catch {
      // ignored on purpose: see above
    }
  }
}

function readEntries(file: string): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}
