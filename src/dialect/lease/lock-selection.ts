import { ConfigError } from "../../errors.js";
import { sleep } from "../../util/sleep.js";
import type { Database } from "../database.js";
import type { ConnectionConfig, LockMode } from "../dialect.js";
import { lockKey } from "../postgres/postgres-lock.js";
import { acquireLeaseLock, DEFAULT_LEASE_MS, leaseName, leaseTiming, type LeaseTarget } from "./lease-lock.js";
import { leaseFileOf, liveLeaseHolder } from "./lease-presence.js";

/** The lock a run holds: which kind, and why the lease when it is one. */
export interface HeldLock {
  readonly kind: "table" | "session";
  /** Why the lease was chosen: the config, or what was detected. */
  readonly reason?: string;
  release(): Promise<void>;
}

const LOCK_MODES: readonly LockMode[] = ["auto", "table", "session"];

/** The lock table of a tracking table: beside it, in the same schema. */
export function lockTableOf(trackingTable: string): string {
  return `${trackingTable}_lock`;
}

/**
 * Take the migration lock the connection can rely on: the dialect's session lock, or
 * the lease row where a session lock does not exclude other runs (a Galera node, a
 * pooler — detected, or forced with `lock: "table"`). Undefined when another run held
 * it for longer than `timeoutMs`.
 *
 * A run on a session lock also waits for a live lease (another run forced to `table`,
 * or one through a pooler to the same server), and a lease is only inserted while the
 * session lock is free: runs that chose differently still exclude each other.
 */
export async function acquireMigrationLock(db: Database, name: string, trackingTable: string, timeoutMs: number): Promise<HeldLock | undefined> {
  const config = db.config;
  const mode = lockMode(config);
  const detected = mode === "auto" ? await db.dialectFactory.sessionLockUnsafe?.(db, db.announcedSessionId) : undefined;
  const table = lockTableOf(trackingTable);
  const memory = db.dialect === "sqlite" && isPrivateSqlite(config);
  if ((mode === "table" || detected !== undefined) && !memory) {
    const target = leaseTarget(db, name, table, detected === undefined);
    const release = await acquireLeaseLock(target, timeoutMs, leaseTiming(leaseMs(config)));
    return release && { kind: "table", reason: detected ?? 'lock: "table" in the configuration', release };
  }
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
    const release = await db.dialectFactory.acquireLock(db, name, Math.max(0, deadline - Date.now()));
    if (!release) return undefined;
    if (memory || (await liveLeaseHolder(db, table, leaseName(name))) === undefined) return { kind: "session", release };
    // A run holding the lease is at work: let go and wait for it, as for a session lock.
    await release().catch(() => undefined);
    if (Date.now() >= deadline) return undefined;
    await sleep(Math.min(delay, Math.max(0, deadline - Date.now())));
  }
}

function leaseTarget(db: Database, name: string, table: string, guarded: boolean): LeaseTarget {
  const dialect = db.dialectFactory;
  const base = { dialect, table, name };
  if (db.dialect === "postgres") return { ...base, config: db.config, insertGuardParameters: [lockKey(name)] };
  // Holding the session lock for the insert only means something where it works.
  const guard: LeaseTarget["guard"] = guarded
    ? async (lease, insert) => {
        const release = await dialect.acquireLock({ ...lease, config: db.config }, name, 0);
        if (!release) return false;
        try {
          return await insert();
        } finally {
          await release().catch(() => undefined);
        }
      }
    : undefined;
  if (db.dialect === "sqlite") {
    // A file of its own beside the database: the migrations' write transaction holds the
    // database's write lock for the whole batch, and the heartbeat must not wait for it.
    return { ...base, config: { driver: "sqlite", database: leaseFileOf(db.config) }, ...(guard ? { guard } : {}) };
  }
  return { ...base, config: db.config, ...(guard ? { guard } : {}) };
}

function isPrivateSqlite(config: ConnectionConfig): boolean {
  const file = config.database ?? config.filename ?? "";
  return file === "" || file === ":memory:";
}

function lockMode(config: ConnectionConfig): LockMode {
  const mode = config.lock ?? "auto";
  if (!LOCK_MODES.includes(mode)) throw new ConfigError(`lock must be one of ${LOCK_MODES.join(", ")}, got "${String(mode)}"`);
  return mode;
}

function leaseMs(config: ConnectionConfig): number {
  const seconds = config.lockLease;
  if (seconds === undefined) return DEFAULT_LEASE_MS;
  if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds <= 0) {
    throw new ConfigError(`lockLease must be a positive number of seconds, got "${String(seconds)}"`);
  }
  return Math.round(seconds * 1000);
}
