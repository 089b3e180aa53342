import { sha256Hex } from "../../util/hash.js";
import type { Session } from "../dialect.js";

/**
 * `GET_LOCK` on the run's one connection: the server waits for us (bounded by the
 * timeout, in seconds) and frees the lock when the session ends, even if the process
 * holding it was killed.
 */
export async function acquireMysqlLock(db: Session, name: string, timeoutMs: number): Promise<(() => Promise<void>) | undefined> {
  const lock = shortLockName(name);
  const [row] = await db.read<{ locked: number | null }>("select get_lock(?, ?) as locked", [lock, Math.max(0, timeoutMs / 1000)]);
  if (Number(row?.locked) !== 1) return undefined;
  return async () => {
    await db.read("select release_lock(?)", [lock]);
  };
}

/** MySQL lock names are limited to 64 characters. */
export function shortLockName(name: string): string {
  return name.length <= 64 ? name : `mortar:${sha256Hex(name).slice(0, 56)}`;
}
