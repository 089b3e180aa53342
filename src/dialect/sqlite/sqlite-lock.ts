import { sleep } from "../../migration/lock-name.js";

/**
 * SQLite has no named locks, so the run takes SQLite's own write lock on a small
 * companion file (`<database>.mortar-lock`) with `BEGIN IMMEDIATE`, held until the run
 * ends. It is an ordinary file lock: the operating system drops it when the holder
 * exits or is killed, so it can never be left behind. A separate file keeps the lock
 * from blocking the migrations' own writes to the database. The wait is a poll, so the
 * event loop is never blocked by SQLite's synchronous busy wait.
 */
export async function acquireSqliteLock(databaseFile: string, timeoutMs: number): Promise<(() => Promise<void>) | undefined> {
  if (databaseFile === ":memory:" || databaseFile === "") return async () => {}; // private to this process
  const { default: BetterSqlite3 } = await import("better-sqlite3");
  const lock = new BetterSqlite3(`${databaseFile}.mortar-lock`, { timeout: 0 });
  const deadline = Date.now() + timeoutMs;
  for (let delay = 25; ; delay = Math.min(delay * 2, 250)) {
    try {
      lock.exec("BEGIN IMMEDIATE");
      return async () => {
        lock.exec("ROLLBACK");
        lock.close();
      };
    } catch (error) {
      if ((error as { code?: string }).code !== "SQLITE_BUSY") {
        lock.close();
        throw error;
      }
    }
    if (Date.now() >= deadline) {
      lock.close();
      return undefined;
    }
    await sleep(Math.min(delay, Math.max(0, deadline - Date.now())));
  }
}
