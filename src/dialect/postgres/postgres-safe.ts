import type { SafeExecutionSupport, Session } from "../dialect.js";
import { driverErrorField, oneLine } from "../lock-conflict.js";

/** lock_not_available (lock_timeout expired) and deadlock_detected. */
const LOCK_CONFLICT_CODES = new Set(["55P03", "40P01"]);

/**
 * PostgreSQL safe execution: `lock_timeout` bounds every lock wait (SET LOCAL inside
 * the migration's transaction, so it ends with it), and a give-up names the sessions
 * that hold a lock on the tables the statement touched (pg_locks joined with
 * pg_stat_activity, whose `query` is the session's current or last statement).
 */
export const postgresSafeExecution: SafeExecutionSupport = {
  lockTimeout: (seconds, inTransaction) => [`set ${inTransaction ? "local " : ""}lock_timeout = '${Math.round(seconds * 1000)}ms'`],
  resetLockTimeout: ["reset lock_timeout"],
  isLockConflict: (error) => driverErrorField(error, "code").some((code) => LOCK_CONFLICT_CODES.has(String(code))),
  async describeBlockers(session: Session, tables: readonly string[]): Promise<string[]> {
    if (tables.length === 0) return [];
    const rows = await session.read<{ pid: number; state: string | null; query: string | null; mode: string; relname: string; xact_start: string | null }>(
      `select distinct a.pid, a.state, a.query, l.mode, c.relname
         from pg_locks l
         join pg_class c on c.oid = l.relation
         join pg_stat_activity a on a.pid = l.pid
        where l.granted and l.pid <> pg_backend_pid() and c.relname = any($1::text[])
        order by a.pid`,
      [tables],
    );
    return rows.map((r) => `pid ${r.pid} (${r.state ?? "unknown state"}, holds ${r.mode} on ${r.relname}): ${oneLine(r.query) || "(no query text)"}`);
  },
};
