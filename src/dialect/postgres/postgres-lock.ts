import { sha256 } from "../../util/hash.js";
import { sleep } from "../../util/sleep.js";
import type { Session } from "../dialect.js";

/**
 * A session-level advisory lock, taken on the run's one connection (so it is released
 * by that same session, lucid#1153) and dropped by the server when the session dies.
 * `pg_try_advisory_lock` is polled rather than `pg_advisory_lock` awaited, so the wait
 * is bounded by the lock timeout.
 */
export async function acquirePostgresLock(db: Session, name: string, timeoutMs: number): Promise<(() => Promise<void>) | undefined> {
  const key = lockKey(name);
  const deadline = Date.now() + timeoutMs;
  for (let delay = 25; ; delay = Math.min(delay * 2, 500)) {
    const [row] = await db.read<{ locked: boolean }>("select pg_try_advisory_lock($1::bigint) as locked", [key]);
    if (row?.locked) {
      return async () => {
        await db.read("select pg_advisory_unlock($1::bigint)", [key]);
      };
    }
    if (Date.now() >= deadline) return undefined;
    await sleep(Math.min(delay, Math.max(0, deadline - Date.now())));
  }
}

/** A signed 64-bit key (as a decimal string) for PostgreSQL's advisory locks. */
export function lockKey(name: string): string {
  return sha256(name).readBigInt64BE(0).toString();
}
