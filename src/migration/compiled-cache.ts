import { sha256Hex } from "../util/hash.js";
import { existsSync, readFileSync } from "node:fs";
import { dirname, extname, join } from "node:path";
import { packageVersion } from "../package-version.js";
import { findCacheDir, writeAtomically } from "./cache-dir.js";

/**
 * Compiled copies of TypeScript migrations, so that loading one costs what loading
 * JavaScript costs: the file is compiled once (esbuild, types stripped) into
 * `node_modules/.cache/mortar/` and then imported natively. Loader hooks (tsx) would
 * instead put every module of the process — Mortar and the drivers included — through
 * a worker thread, which costs more than the migrations' own work.
 *
 * The compiled copy lives in another folder, so a file that refers to its own location
 * (`import.meta`, `__dirname`, `__filename`) or imports relative files would see the
 * wrong paths: such files are not cached and go through tsx, which keeps them in place.
 */

/** The signs that a file depends on where it sits on disk. */
const LOCATION_DEPENDENT = /import\.meta|__dirname|__filename|\brequire\s*\(|\bfrom\s*["']\.{1,2}\/|\bimport\s*\(\s*["']\.{1,2}\/|\bimport\s+["']\.{1,2}\//;

export type Format = "esm" | "cjs";

interface PackageInfo {
  readonly name?: string;
  readonly type?: string;
}

const packages = new Map<string, PackageInfo>();

/** Changes whenever Mortar (and so its pinned esbuild) changes: old copies are never reused. */
const COMPILER_VERSION = packageVersion();

/**
 * The path of a compiled, importable copy of the TypeScript file at `path` whose text
 * is `source` (and whose checksum is `checksum`), or undefined when the file must be
 * loaded in place (see above). On a cache hit this costs a hash of a short string and
 * one `exists` check; esbuild is only loaded to compile a miss.
 */
export async function compiledCopy(path: string, source: string, checksum: string): Promise<string | undefined> {
  const place = cachePlace(path, source);
  if (!place) return undefined;
  const { cacheDir, format } = place;
  const key = cacheKey(format, checksum);
  const target = join(cacheDir, `${key}.${format === "esm" ? "mjs" : "cjs"}`);
  if (existsSync(target)) return target;
  const esbuild = await import("esbuild");
  const { code } = await esbuild.transform(source, {
    loader: "ts",
    format,
    target: `node${process.versions.node}`,
    sourcefile: path,
  });
  return writeAtomically(cacheDir, target, code);
}

export interface SourceFile {
  readonly path: string;
  readonly source: string;
  /** A hash of the exact (normalized) bytes: compiled copies are keyed by it, never by the canonical checksum. */
  readonly checksum: string;
}

/** Where a file's compiled form is cached, or undefined when it must load in place. */
export function cachePlace(path: string, source: string): { cacheDir: string; format: Format } | undefined {
  if (LOCATION_DEPENDENT.test(source)) return undefined;
  const cacheDir = findCacheDir(dirname(path));
  if (!cacheDir) return undefined;
  // A package may import itself by its own name, but only from inside its own folder,
  // never from node_modules: such a file stays where it is.
  const own = packageOf(dirname(path)).name;
  if (own && importsPackage(source, own)) return undefined;
  return { cacheDir, format: moduleFormat(path) };
}

function importsPackage(source: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return new RegExp(`(?:from|import|require\\s*\\()\\s*["']${escaped}(?:/[^"']*)?["']`).test(source);
}

/**
 * One compiled module exporting the default export of each file as `m0`, `m1`, … (files
 * that share a cache folder and module format; see `cachePlace`). Importing one module
 * instead of hundreds is what makes a large batch load faster than the same files
 * compiled to JavaScript and imported one by one. Bare imports (`"mortar"`) stay
 * imports, resolved from the cache folder as from the files themselves.
 */
export async function compiledBundle(files: readonly SourceFile[], cacheDir: string, format: Format): Promise<string> {
  const key = cacheKey(format, files.map((f) => `${f.path}\0${f.checksum}`).join("\0"));
  const target = join(cacheDir, `batch-${key}.${format === "esm" ? "mjs" : "cjs"}`);
  if (existsSync(target)) return target;
  const esbuild = await import("esbuild");
  const entry = files.map((f, i) => `export { default as m${i} } from ${JSON.stringify(f.path)};`).join("\n");
  const result = await esbuild.build({
    stdin: { contents: entry, resolveDir: dirname(files[0]!.path), sourcefile: "mortar-batch.ts", loader: "ts" },
    bundle: true,
    format,
    platform: "node",
    target: `node${process.versions.node}`,
    packages: "external",
    write: false,
    logLevel: "silent",
  });
  return writeAtomically(cacheDir, target, result.outputFiles[0]!.text);
}

function cacheKey(format: Format, content: string): string {
  return sha256Hex(`${COMPILER_VERSION}\0${format}\0${process.versions.node}\0${content}`).slice(0, 32);
}

/** `.mts` is ESM and `.cts` CommonJS; a `.ts` file follows the nearest package.json, as Node would. */
function moduleFormat(path: string): Format {
  const extension = extname(path);
  if (extension === ".mts") return "esm";
  if (extension === ".cts") return "cjs";
  return packageType(dirname(path));
}

function packageType(dir: string): Format {
  return packageOf(dir).type === "module" ? "esm" : "cjs";
}

/** The nearest package.json at or above `dir` (its `name` and `type`), as Node finds it. */
function packageOf(dir: string): PackageInfo {
  const cached = packages.get(dir);
  if (cached) return cached;
  let info: PackageInfo = {};
  const manifest = join(dir, "package.json");
  if (existsSync(manifest)) {
    try {
      const parsed = JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown; type?: unknown };
      info = { name: typeof parsed.name === "string" ? parsed.name : undefined, type: typeof parsed.type === "string" ? parsed.type : undefined };
    } catch {
      info = {};
    }
  } else {
    const parent = dirname(dir);
    info = parent === dir ? {} : packageOf(parent);
  }
  packages.set(dir, info);
  return info;
}
