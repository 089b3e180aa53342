import { sha256Hex } from "../util/hash.js";
import { InvalidSchemaError } from "../errors.js";

/**
 * Default index/constraint names follow Laravel: `{table}_{cols}_{suffix}`. PostgreSQL
 * truncates identifiers over 63 bytes silently and MySQL rejects those over 64, so a
 * long name is shortened deterministically: a prefix plus a hash of the full name, so
 * the same definition always yields the same (unique) name and `down()` can find it.
 */
export function defaultIndexName(
  table: string,
  columns: readonly string[],
  suffix: "unique" | "index" | "foreign" | "fulltext",
  maxLength: number,
): string {
  const base = [table, ...columns, suffix].join("_").toLowerCase().replace(/[-.]/g, "_");
  return shortenIdentifier(base, maxLength);
}

export function defaultPrimaryKeyName(table: string, maxLength: number): string {
  return shortenIdentifier(`${table}_pkey`.toLowerCase().replace(/[-.]/g, "_"), maxLength);
}

/** Shorten `name` to at most `maxLength` bytes, keeping it unique with a hash suffix. */
export function shortenIdentifier(name: string, maxLength: number): string {
  if (Buffer.byteLength(name) <= maxLength) return name;
  const hash = sha256Hex(name).slice(0, 8);
  let prefix = name;
  while (Buffer.byteLength(prefix) > maxLength - hash.length - 1) prefix = prefix.slice(0, -1);
  return `${prefix}_${hash}`;
}

/** Names come from migrations; an empty one is a mistake we report before any SQL runs. */
export function assertIdentifier(name: unknown, what: string): asserts name is string {
  if (typeof name !== "string" || name.length === 0) {
    throw new InvalidSchemaError(`${what} must be a non-empty string, got ${JSON.stringify(name)}`);
  }
  if (name.includes("\0")) throw new InvalidSchemaError(`${what} ${JSON.stringify(name)} contains a NUL byte`);
}

/**
 * A NUL byte cannot travel inside SQL text: PostgreSQL rejects it, and SQLite stops
 * reading the statement at it, so what follows would be lost. Every value Mortar writes
 * into DDL (defaults, comments, enum values, raw expressions) is checked with this while
 * the blueprint is being built, so nothing of the schema call is sent.
 */
export function assertNoNulByte(value: string, what: string): void {
  if (value.includes("\0")) {
    throw new InvalidSchemaError(`${what} contains a NUL byte (\\0 at offset ${value.indexOf("\0")}), which cannot be sent in SQL`);
  }
}
