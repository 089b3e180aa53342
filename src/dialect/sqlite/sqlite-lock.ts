import { realpathSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { MigrationLockError } from "../../errors.js";
import { sleep } from "../../util/sleep.js";
import { importDriver, SQLITE_DRIVER } from "../driver-import.js";

/**
 * SQLite has no named locks, so the run takes SQLite's own write lock on a small
 * companion file (`<database>.mortar-lock`) with `BEGIN IMMEDIATE`, held until the run
 * ends. It is an ordinary file lock: the operating system drops it when the holder
 * exits or is killed, so it can never be left behind. A separate file keeps the lock
 * from blocking the migrations' own writes to the database. The wait is a poll, so the
 * event loop is never blocked by SQLite's synchronous busy wait.
 *
 * The companion file sits beside the database's real file (symbolic links resolved),
 * so two paths to one database take one lock. A lock that cannot be taken for any
 * reason but another holder stops the run: running unlocked is never the fallback.
 */
export async function acquireSqliteLock(databaseFile: string, timeoutMs: number): Promise<(() => Promise<void>) | undefined> {
  if (databaseFile === ":memory:" || databaseFile === "") return async () => {}; // private to this process
  const lockFile = `${realDatabasePath(databaseFile)}.mortar-lock`;
  const { default: BetterSqlite3 } = await importDriver(SQLITE_DRIVER, () => import("better-sqlite3"));
  let lock: InstanceType<typeof BetterSqlite3>;
  try {
    lock = new BetterSqlite3(lockFile, { timeout: 0 });
  } catch (error) {
    throw cannotLock(lockFile, error);
  }
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
        throw cannotLock(lockFile, error);
      }
    }
    if (Date.now() >= deadline) {
      lock.close();
      return undefined;
    }
    await sleep(Math.min(delay, Math.max(0, deadline - Date.now())));
  }
}

/**
 * The database file's real path: symbolic links (of the file or of any folder above
 * it) resolved. A file not created yet is named through its folder's real path.
 */
export function realDatabasePath(databaseFile: string): string {
  const absolute = resolve(databaseFile);
  try {
    return realpathSync(absolute);
  } catch {
    try {
      return join(realpathSync(dirname(absolute)), basename(absolute));
    } catch {
      return absolute;
    }
  }
}

function cannotLock(lockFile: string, error: unknown): MigrationLockError {
  const reason = error instanceof Error ? error.message : String(error);
  return new MigrationLockError(
    `cannot take the migration lock: the lock file ${lockFile} cannot be opened for writing (${reason}); ` +
      "nothing was run. Make the folder and that file writable (or remove what is in its way) and try again",
  );
}
