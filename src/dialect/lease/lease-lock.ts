import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { MigrationLockError, messageOf } from "../../errors.js";
import { sha256Hex } from "../../util/hash.js";
import { sleep } from "../../util/sleep.js";
import type { ConnectionConfig, Dialect, Driver, Session } from "../dialect.js";
import { leaseSql, type LeaseSql } from "./lease-sql.js";

/** How long a lease lasts and how often its holder renews it. */
export interface LeaseTiming {
  /** A holder that stops renewing (killed, frozen, cut off) loses the lock this long after its last renewal. */
  readonly leaseMs: number;
  /** Renewal period; a third of the lease leaves two missed renewals before expiry. */
  readonly renewEveryMs: number;
}

export const DEFAULT_LEASE_MS = 30_000;

export function leaseTiming(leaseMs: number = DEFAULT_LEASE_MS): LeaseTiming {
  return { leaseMs, renewEveryMs: Math.max(50, Math.floor(leaseMs / 3)) };
}

/** Where the lease row lives: its own connection, the lock table, the dialect's SQL. */
export interface LeaseTarget {
  readonly dialect: Dialect;
  /** The connection the lease opens for itself (SQLite: the lease file beside the database). */
  readonly config: ConnectionConfig;
  /** The lock table (created when missing). */
  readonly table: string;
  /** The lock's name: one row per name. */
  readonly name: string;
  /** Values bound after the insert's own (PostgreSQL: the session lock's advisory key). */
  readonly insertGuardParameters?: readonly unknown[];
  /**
   * Hold the session lock of the same name, without waiting, while the lease row is
   * inserted (false when another run holds it): a run that took the session lock
   * directly then also keeps the lease from being taken. Not used where session locks
   * do not work (a Galera node, a pooler).
   */
  readonly guard?: (lease: Session, insert: () => Promise<boolean>) => Promise<boolean>;
}

/** Leases this process holds, so an interrupted run can hand its lease back before it exits. */
const held = new Set<() => Promise<void>>();

/**
 * Release every lease this process still holds (Ctrl-C, SIGTERM): the next run need not
 * wait for the lease to expire. Best effort: a lease that cannot be released expires.
 */
export async function releaseHeldLeases(): Promise<void> {
  await Promise.all([...held].map((release) => release().catch(() => undefined)));
}

/**
 * A lock that does not depend on the session: a row in a lock table, taken with an
 * atomic conditional insert (only when no row exists; an expired row is deleted first,
 * in its own conditional statement), renewed by a heartbeat while the run lives, taken
 * over only after it expired, and deleted at the end by its owner (compare-and-set on
 * the owner token). It works where session locks do not: on a Galera cluster, where
 * `GET_LOCK` is per node and the row is replicated to every node on commit; and behind
 * a transaction pooler, where consecutive statements may reach different server sessions.
 *
 * The lease runs on a connection of its own, in autocommit: the run's connection may sit
 * in a long statement or transaction, and a heartbeat must neither wait for it nor be
 * rolled back with it. Resolves to the release function, or undefined when the lock was
 * still held by someone else after `timeoutMs`.
 */
export async function acquireLeaseLock(target: LeaseTarget, timeoutMs: number, timing: LeaseTiming = leaseTiming()): Promise<(() => Promise<void>) | undefined> {
  const sql = leaseSql(target.dialect.name, target.dialect.grammar, target.table);
  const name = leaseName(target.name);
  const owner = randomBytes(16).toString("hex");
  const holder = `pid ${process.pid} on ${hostname()}`.slice(0, 255);
  let driver: Driver;
  try {
    driver = await target.dialect.connect(target.config);
  } catch (error) {
    throw new MigrationLockError(`cannot take the migration lock: the lock connection failed (${messageOf(error)}); nothing was run`);
  }
  try {
    await createLockTable(driver, sql, target.table);
    const deadline = Date.now() + timeoutMs;
    for (let delay = 25; ; delay = Math.min(delay * 2, 500)) {
      const insert = () => tryTake(driver, sql, [name, owner, holder, timing.leaseMs, ...(target.insertGuardParameters ?? [])]);
      if (await (target.guard ? target.guard(sessionOver(driver), insert) : insert())) break;
      if (Date.now() >= deadline) {
        await driver.close().catch(() => undefined);
        return undefined;
      }
      // Jitter: runs that found the lock taken at the same moment do not retry in step.
      await sleep(Math.min(delay + Math.floor(Math.random() * delay), Math.max(0, deadline - Date.now())));
    }
  } catch (error) {
    await driver.close().catch(() => undefined);
    throw error instanceof MigrationLockError ? error : new MigrationLockError(`cannot take the migration lock in table ${target.table}: ${messageOf(error)}; nothing was run`);
  }
  return holdLease(driver, sql, name, owner, holder, target.insertGuardParameters ?? [], timing);
}

/** Renew on a timer until released; the release stops the timer and deletes our row. */
function holdLease(driver: Driver, sql: LeaseSql, name: string, owner: string, holder: string, guardParameters: readonly unknown[], timing: LeaseTiming): () => Promise<void> {
  let renewing: Promise<unknown> = Promise.resolve();
  const renew = async () => {
    const renewed = await driver.run(sql.renew, [timing.leaseMs, name, owner]);
    // Our row is gone: renewals failed for longer than the lease (a network cut) and it
    // expired. Take it back if nobody else has; if someone has, there is nothing safe to do
    // from here but keep trying, and the lease's length is what the operator tunes.
    if (renewed.affectedRows === 0) await tryTake(driver, sql, [name, owner, `${holder} (renewed after a lapse)`.slice(0, 255), timing.leaseMs, ...guardParameters]);
  };
  const timer = setInterval(() => {
    // One renewal at a time; a slow one is not stacked on. A failed renewal is retried
    // at the next tick: two can fail before the lease runs out.
    renewing = renewing.then(renew).catch(() => undefined);
  }, timing.renewEveryMs);
  // The heartbeat never keeps a finished process alive.
  timer.unref();
  let released: Promise<void> | undefined;
  const release = () => {
    released ??= (async () => {
      clearInterval(timer);
      held.delete(release);
      await renewing;
      try {
        await driver.run(sql.release, [name, owner]);
      } finally {
        await driver.close().catch(() => undefined);
      }
    })();
    return released;
  };
  held.add(release);
  return release;
}

/** Binds: name, owner, holder, lease ms, guard parameters. */
async function tryTake(driver: Driver, sql: LeaseSql, parameters: readonly unknown[]): Promise<boolean> {
  try {
    await driver.run(sql.deleteExpired, [parameters[0]]);
    const inserted = await driver.run(sql.insertIfAbsent, parameters);
    return inserted.affectedRows === 1;
  } catch (error) {
    // Galera: two nodes inserting the row at once; one fails certification. Lost the race.
    if (isRaceLost(error)) return false;
    throw error;
  }
}

/**
 * Concurrent runs creating the table at once: PostgreSQL may report a duplicate type
 * (`create table if not exists` is not atomic there), so the table is tried once more.
 */
async function createLockTable(driver: Driver, sql: LeaseSql, table: string): Promise<void> {
  try {
    await driver.run(sql.createTable, []);
  } catch (error) {
    if (!isRaceLost(error) && !isDuplicateObject(error)) throw new MigrationLockError(`cannot create the lock table ${table}: ${messageOf(error)}; nothing was run`);
    await driver.run(sql.createTable, []);
  }
}

/** Whether `error` or any error in its `cause` chain has one of these codes / errnos. */
function hasCode(error: unknown, codes: ReadonlySet<unknown>): boolean {
  const seen = new Set<unknown>();
  for (let e: unknown = error; e && typeof e === "object" && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    const { code, errno } = e as { code?: unknown; errno?: unknown };
    if (codes.has(code) || codes.has(errno)) return true;
  }
  return false;
}

/** MySQL deadlock / Galera certification failure, lock wait, PostgreSQL unique violation or serialization failure. */
const RACE_LOST = new Set<unknown>([1213, 1205, "ER_LOCK_DEADLOCK", "ER_LOCK_WAIT_TIMEOUT", "23505", "40001"]);
/**
 * PostgreSQL's other answers to two sessions creating one table at once: the table
 * (42P07) or its row type (42710, `type "…" already exists`) was made by the other one.
 */
const DUPLICATE_OBJECT = new Set<unknown>(["42P07", "42710"]);

function isRaceLost(error: unknown): boolean {
  return hasCode(error, RACE_LOST);
}

function isDuplicateObject(error: unknown): boolean {
  return hasCode(error, DUPLICATE_OBJECT);
}

/** The lease's own connection as a Session (reads and writes in autocommit). */
export function sessionOver(driver: Driver): Session {
  return {
    read: async <T>(text: string, parameters: readonly unknown[] = []) => (await driver.run(text, parameters)).rows as T[],
    execute: (text: string, parameters: readonly unknown[] = []) => driver.run(text, parameters),
  };
}

/** The row's key fits the column (191 characters). */
export function leaseName(name: string): string {
  return name.length <= 191 ? name : `mortar:${sha256Hex(name)}`;
}
