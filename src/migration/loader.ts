import { readFile } from "node:fs/promises";
import { dirname, extname } from "node:path";
import { briefMessage, MigrationFileError } from "../errors.js";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { cachePlace, compiledBundle, compiledCopy, type SourceFile } from "./compiled-cache.js";
import { isMigrationClass, type MigrationClass } from "./migration.js";
import type { MigrationFile } from "./migration-file.js";
import { CanonicalCache } from "./canonical-cache.js";
import { checksumOfSourceAsync, legacyChecksum } from "./checksum.js";
import { importModule, TYPESCRIPT } from "../util/import-module.js";
import { displayPath } from "../util/display-path.js";

export { checksumOfSource, normalizeSource } from "./checksum.js";

export interface LoadedMigration {
  readonly migrationClass: MigrationClass;
  /** The migration's checksum (checksum.ts), from the same read that loaded it. */
  readonly checksum: string;
}

/**
 * Load every migration of a run, in order. TypeScript files that can be compiled
 * together are imported as one compiled batch (compiled-cache.ts); anything else, and
 * any batch that fails to build or import, loads file by file, so an error always names
 * the file it comes from.
 */
export async function loadMigrations(files: readonly MigrationFile[]): Promise<LoadedMigration[]> {
  const loaded: (LoadedMigration | undefined)[] = new Array(files.length);
  // Each file is read and hashed once, here; loadMigration below reuses it.
  const sources: (SourceFile | undefined)[] = files.map((file) => {
    try {
      const source = readFileSync(file.path, "utf8");
      return { path: file.path, source, checksum: legacyChecksum(source) };
    } catch {
      return undefined; // loadMigration below reports it
    }
  });
  // Canonical checksums (an esbuild transform each, unless these bytes were seen before)
  // are asked for all at once: esbuild's service answers them in parallel while the files
  // are imported.
  const known = files[0] ? CanonicalCache.near(dirname(files[0].path)) : undefined;
  const checksums = sources.map((read) => (read ? checksumOfSourceAsync(read.source, read.path, known) : undefined));
  const groups = new Map<string, { cacheDir: string; format: "esm" | "cjs"; members: { index: number; file: SourceFile }[] }>();
  files.forEach((file, index) => {
    const read = sources[index];
    if (!read || !TYPESCRIPT.has(extname(file.path))) return;
    const place = cachePlace(file.path, read.source);
    if (!place) return;
    const key = `${place.cacheDir}\0${place.format}`;
    const group = groups.get(key) ?? { ...place, members: [] };
    group.members.push({ index, file: read });
    groups.set(key, group);
  });
  for (const group of groups.values()) {
    if (group.members.length < 2) continue;
    try {
      const bundle = await compiledBundle(group.members.map((m) => m.file), group.cacheDir, group.format);
      const module = (await import(pathToFileURL(bundle).href)) as Record<string, unknown>;
      const exports = (group.format === "cjs" ? (module.default as Record<string, unknown>) : module) ?? {};
      group.members.forEach((member, i) => {
        const exported = exports[`m${i}`];
        if (isMigrationClass(exported)) loaded[member.index] = { migrationClass: exported, checksum: "" };
      });
    } catch {
      // Loaded one by one below, where the error can name its file.
    }
  }
  try {
    return await Promise.all(
      files.map(async (file, index) => {
        const bundled = loaded[index];
        return bundled ? { ...bundled, checksum: await checksums[index]! } : loadMigration(file, sources[index], checksums[index]);
      }),
    );
  } finally {
    known?.save();
  }
}

/**
 * Import a migration file and return its Migration class and checksum, or explain what
 * is wrong. TypeScript is imported from a compiled copy where it can be (see
 * compiled-cache.ts), through tsx otherwise.
 */
export async function loadMigration(file: MigrationFile, read?: SourceFile, canonical?: Promise<string>): Promise<LoadedMigration> {
  const shown = displayPath(file.path);
  let module: Record<string, unknown>;
  let source: string;
  try {
    source = read?.source ?? (await readFile(file.path, "utf8"));
  } catch (error) {
    throw new MigrationFileError(shown, `cannot be read: ${briefMessage(error)}`, { cause: error });
  }
  const checksum = canonical ?? checksumOfSourceAsync(source, file.path);
  try {
    // The compiled copy is keyed by the exact bytes, never by the canonical checksum.
    const compiled = TYPESCRIPT.has(extname(file.path)) ? await compiledCopy(file.path, source, read?.checksum ?? legacyChecksum(source)) : undefined;
    module = compiled
      ? ((await import(pathToFileURL(compiled).href)) as Record<string, unknown>)
      : await importModule(file.path);
  } catch (error) {
    throw new MigrationFileError(shown, `cannot be loaded: ${briefMessage(error)}`, { cause: error });
  }
  const exported = defaultExport(module);
  if (exported === undefined) {
    throw new MigrationFileError(shown, "has no default export: write `export default class … extends Migration`");
  }
  if (!isMigrationClass(exported)) {
    throw new MigrationFileError(shown, "its default export is not a class extending Migration from \"mortar\"");
  }
  return { migrationClass: exported, checksum: await checksum };
}

/**
 * ESM gives `{ default: Class }`; a CommonJS module compiled from `export default`
 * arrives as `{ default: { default: Class, __esModule: true } }`; `module.exports = Class`
 * arrives as `{ default: Class }`.
 */
export function defaultExport(module: Record<string, unknown>): unknown {
  let value = module.default;
  if (value && typeof value === "object" && "default" in value) value = (value as { default: unknown }).default;
  return value;
}
