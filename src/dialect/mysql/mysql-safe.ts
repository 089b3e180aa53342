import type { SafeExecutionSupport, Session } from "../dialect.js";
import { driverErrorField, oneLine } from "../lock-conflict.js";

/** ER_LOCK_WAIT_TIMEOUT (metadata and row locks) and ER_LOCK_DEADLOCK. */
const LOCK_CONFLICT_ERRNOS = new Set([1205, 1213]);

/**
 * MySQL/MariaDB safe execution: `lock_wait_timeout` bounds the wait for a table's
 * metadata lock (what an ALTER waits for behind an open transaction, and what every
 * later query on the table then queues behind), `innodb_lock_wait_timeout` row locks.
 * Both are session settings, reset after each migration. A give-up names the open
 * transactions (information_schema.innodb_trx with the processlist; MariaDB 10.11 has
 * performance_schema off by default, so which table each one read is not known): an
 * idle one shows no query text, only how long it has been open.
 */
export const mysqlSafeExecution: SafeExecutionSupport = {
  lockTimeout: (seconds) => {
    const whole = Math.max(1, Math.ceil(seconds));
    return [`set session lock_wait_timeout = ${whole}, innodb_lock_wait_timeout = ${whole}`];
  },
  resetLockTimeout: ["set session lock_wait_timeout = default, innodb_lock_wait_timeout = default"],
  isLockConflict: (error) => driverErrorField(error, "errno").some((errno) => LOCK_CONFLICT_ERRNOS.has(Number(errno))),
  async describeBlockers(session: Session): Promise<string[]> {
    // Thread 0 is InnoDB's own work (purge, a recovered transaction), never a session that
    // holds our table; sessions on this database come first, others only when none is.
    const all = await session.read<{ id: number; trx_started: unknown; trx_query: string | null; command: string | null; info: string | null; time: number | null; user: string | null; here: number }>(
      `select t.trx_mysql_thread_id as id, t.trx_started, t.trx_query, p.command, p.info, p.time, p.user,
              (p.db is not null and p.db = database()) as here
         from information_schema.innodb_trx t
         join information_schema.processlist p on p.id = t.trx_mysql_thread_id
        where t.trx_mysql_thread_id <> connection_id() and t.trx_mysql_thread_id <> 0
        order by t.trx_started`,
    );
    const here = all.filter((r) => Number(r.here) === 1);
    const describe = (rows: typeof all) =>
      rows.map((r) => {
        const query = oneLine(r.trx_query ?? r.info);
        const state = r.command === "Sleep" ? `idle in transaction for ${r.time ?? "?"}s` : `${r.command ?? "running"}`;
        return `thread ${r.id} (${r.user ?? "?"}, ${state}): ${query || "(no statement running; its transaction is still open)"}`;
      });
    if (here.length > 0) return describe(here);
    // No open transaction on this database (LOCK TABLES, say): its other sessions, then
    // transactions elsewhere (a cross-database statement) as the last candidates.
    const sessions = await otherSessions(session);
    return sessions.length > 0 ? sessions : describe(all);
  },
};

/**
 * No open InnoDB transaction (LOCK TABLES, a non-transactional table, a transaction that
 * ended meanwhile): the other sessions on this database that are not themselves waiting
 * for a table's metadata lock, as the candidates.
 */
async function otherSessions(session: Session): Promise<string[]> {
  const rows = await session.read<{ id: number; user: string | null; command: string | null; time: number | null; state: string | null; info: string | null }>(
    `select id, user, command, time, state, info from information_schema.processlist
      where id <> connection_id() and db = database() and command not in ('Daemon', 'Binlog Dump')
        and coalesce(state, '') not like 'Waiting for table metadata lock%'
      order by time desc`,
  );
  return rows.map((r) => `thread ${r.id} (${r.user ?? "?"}, ${r.command ?? "?"} for ${r.time ?? "?"}s, may hold the table): ${oneLine(r.info) || "(no statement running)"}`);
}
