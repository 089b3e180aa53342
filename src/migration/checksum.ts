import { createRequire } from "node:module";
import { extname } from "node:path";
import { sha256, sha256Hex } from "../util/hash.js";

/**
 * Migration checksums. A migration's identity is its name, not its extension (spec §2),
 * so the `.ts` that ran in development and the `.js` that `tsc` or esbuild compiled from
 * it must have the same checksum, while a real edit to either must not. The checksum is
 * therefore taken over a canonical form of the code rather than its bytes: both forms go
 * through the same esbuild transform (types, comments and formatting vanish; ESM becomes
 * CommonJS so that `tsc --module commonjs` output compares too), then the module
 * boilerplate that differs between compilers is rewritten to one shape.
 *
 * A checksum of this kind is `v2:<code>.<bytes>`: 132 bits of SHA-256 of the canonical
 * form, then 132 bits of SHA-256 of the normalized bytes. A file whose bytes match needs
 * no transform at all (a fresh CI checkout checks 2,000 files as fast as before); only a
 * file whose bytes differ is canonicalized, and it matches when its code part does.
 * Rows written by earlier versions hold a bare SHA-256 of the bytes (64 hex digits):
 * those are still compared the old way, so an upgrade does not turn a history Modified.
 */

export const CHECKSUM_PREFIX = "v2:";

/** A checksum recorded before canonical checksums: SHA-256 hex of the normalized bytes. */
export function isLegacyChecksum(checksum: string): boolean {
  return /^[0-9a-f]{64}$/.test(checksum);
}

/** The old checksum: line endings and a byte-order mark do not count, everything else does. */
export function legacyChecksum(source: string): string {
  return sha256Hex(normalizeSource(source));
}

/** The source with line endings and a byte-order mark normalized away. */
export function normalizeSource(source: string): string {
  return source.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
}

const PART = 22; // base64url characters: 132 bits

/**
 * The checksum recorded for a migration whose text is `source`. `path` only tells
 * TypeScript from JavaScript (TypeScript when omitted). 48 characters: it fits the
 * tracking table's 64-character column, in old tables too.
 */
export function checksumOfSource(source: string, path = "migration.ts"): string {
  return checksumFrom(canonicalForm(source, path), legacyChecksum(source));
}

/**
 * `checksumOfSource` through esbuild's asynchronous API: many files are canonicalized in
 * parallel. With `known` (code parts by the hash of the bytes they were taken from), a
 * file whose bytes were canonicalized before needs no transform.
 */
export async function checksumOfSourceAsync(
  source: string,
  path = "migration.ts",
  known?: { get(bytesHex: string): string | undefined; set(bytesHex: string, code: string): void },
): Promise<string> {
  const bytesHex = legacyChecksum(source);
  const cached = known?.get(bytesHex);
  if (cached !== undefined) return compose(cached, bytesHex);
  esbuild ??= requireModule("esbuild") as typeof import("esbuild");
  let code: string;
  try {
    code = canonicalModuleShape((await esbuild.transform(normalizeSource(source), transformOptions(path))).code);
  } catch {
    code = unparsed(source);
  }
  const part = codePart(code);
  known?.set(bytesHex, part);
  return compose(part, bytesHex);
}

function checksumFrom(canonical: string, bytesHex: string): string {
  return compose(codePart(canonical), bytesHex);
}

function codePart(canonical: string): string {
  return sha256(canonical).toString("base64url").slice(0, PART);
}

function compose(codePartText: string, bytesHex: string): string {
  return `${CHECKSUM_PREFIX}${codePartText}.${bytesPart(bytesHex)}`;
}

function bytesPart(bytesHex: string): string {
  return Buffer.from(bytesHex, "hex").toString("base64url").slice(0, PART);
}

/**
 * Whether the file whose normalized bytes hash to `bytesHex` (`legacyChecksum`) is the
 * one `recorded` was taken from, without canonicalizing it: true for identical bytes.
 */
export function matchesBytes(recorded: string, bytesHex: string): boolean {
  if (isLegacyChecksum(recorded)) return recorded === bytesHex;
  return recorded.startsWith(CHECKSUM_PREFIX) && recorded.slice(CHECKSUM_PREFIX.length + PART + 1) === bytesPart(bytesHex);
}

/** Whether `current` (`checksumOfSource`) has the code `recorded` was taken from: the same migration, compiled or reformatted. */
export function sameCode(recorded: string, current: string): boolean {
  const end = CHECKSUM_PREFIX.length + PART;
  return recorded.startsWith(CHECKSUM_PREFIX) && recorded.length > end && recorded.slice(0, end) === current.slice(0, end);
}

/** Whether `recorded` is the checksum of `source` (or of its compiled form), in whichever format it was recorded. */
export function matchesRecorded(recorded: string, source: string, path?: string): boolean {
  return matchesBytes(recorded, legacyChecksum(source)) || sameCode(recorded, checksumOfSource(source, path));
}

const requireModule = createRequire(import.meta.url);
let esbuild: typeof import("esbuild") | undefined;

/**
 * The code as one minified CommonJS text. esbuild is loaded on the first call only:
 * `migrate:status` over an unchanged history takes its checksums from the cache.
 * A file that does not parse keeps its normalized bytes (it cannot run anyway, and no
 * parsed file can collide with it).
 */
export function canonicalForm(source: string, path = "migration.ts"): string {
  esbuild ??= requireModule("esbuild") as typeof import("esbuild");
  try {
    return canonicalModuleShape(esbuild.transformSync(normalizeSource(source), transformOptions(path)).code);
  } catch {
    return unparsed(source);
  }
}

function unparsed(source: string): string {
  return `unparsed\n${normalizeSource(source)}`;
}

/** The same transform for both forms; only the parser follows the extension. */
function transformOptions(path: string): import("esbuild").TransformOptions {
  return {
    loader: /^\.[mc]?ts$/.test(extname(path)) ? "ts" : "js",
    format: "cjs",
    platform: "node",
    target: "esnext",
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: "none",
    sourcefile: "migration",
    logLevel: "silent",
  };
}

/**
 * Rewrite the module boilerplate that differs between esbuild's ESM-to-CommonJS output and
 * `tsc --module commonjs` to one shape: no `"use strict"` or `__esModule` marker, no export
 * helpers, the default export as a trailing `exports.default=…;`, and every
 * `const x_1=require("m")` / `var import_m=require("m")` alias named after its module.
 * Pure string work on esbuild's minified output, whose spelling is stable.
 */
export function canonicalModuleShape(code: string): string {
  let text = code.replace(/^"use strict";/, "").replace(/Object\.defineProperty\(exports,"__esModule",\{value:!0\}\);?/g, "");
  const exported: string[] = [];
  // esbuild: helpers, then `__export(x_exports,{default:()=>Name});module.exports=__toCommonJS(x_exports);`
  text = text.replace(/^var __[\s\S]*?module\.exports=__toCommonJS\(\w+\);?/, (header) => {
    const map = /__export\(\w+,\{([^}]*)\}\)/.exec(header)?.[1] ?? "";
    for (const [, key, name] of map.matchAll(/([\w$]+):\(\)=>([\w$]+)/g)) exported.push(`exports.${key}=${name};`);
    return "";
  });
  // tsc: `exports.default=Name;` after the class.
  text = text.replace(/(^|[;}])exports\.default=([\w$]+)[;,]?/g, (_all, before: string, name: string) => {
    exported.push(`exports.default=${name};`);
    return before;
  });
  const aliases = new Map<string, string>();
  text = text.replace(/(\b(?:var|let|const) |,)([\w$]+)=require\(("[^"]*")\)(?=[;,])/g, (_all, before: string, alias: string, module: string) => {
    const canonical = `$req_${JSON.parse(module).replace(/[^\w]/g, "_")}`;
    aliases.set(alias, canonical);
    return `${/^(?:let|const) $/.test(before) ? "var " : before}${canonical}=require(${module})`;
  });
  for (const [alias, canonical] of aliases) {
    text = text.replace(new RegExp(`(?<![\\w$.])${alias.replace(/\$/g, "\\$")}(?![\\w$])`, "g"), canonical);
  }
  // An anonymous default export gets a made-up name: `default_1` from tsc, `*_default` from esbuild.
  const anonymous = exported.map((e) => /^exports\.default=((?:default_\d+)|(?:[\w$]+_default));$/.exec(e)?.[1]).find(Boolean);
  if (anonymous) text = text.replace(new RegExp(`(?<![\\w$.])${anonymous.replace(/\$/g, "\\$")}(?![\\w$])`, "g"), () => "$default");
  const trailer = [...new Set(exported.map((e) => (anonymous ? e.replace(anonymous, () => "$default") : e)))].sort().join("");
  return text.replace(/;+$/, "") + "\n" + trailer;
}
