import { sha256, sha256Hex } from "../hash.js";

/**
 * The migration lock's identity: one lock per database and tracking table, so two
 * projects sharing a server do not block each other. Deterministic across processes.
 */
export function lockName(database: string, table: string): string {
  return `mortar:${database}:${table}`;
}

/** A signed 64-bit key (as a decimal string) for PostgreSQL's advisory locks. */
export function lockKey(name: string): string {
  return sha256(name).readBigInt64BE(0).toString();
}

/** MySQL lock names are limited to 64 characters. */
export function shortLockName(name: string): string {
  return name.length <= 64 ? name : `mortar:${sha256Hex(name).slice(0, 56)}`;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
