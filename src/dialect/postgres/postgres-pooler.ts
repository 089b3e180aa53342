import type { Session } from "../dialect.js";

/** Sessions found to reach PostgreSQL through a pooler, remembered for the session statements that care. */
const pooled = new WeakSet<object>();

/**
 * A pooler (PgBouncer, and the like) answers the connection itself and announces a
 * made-up backend process id in BackendKeyData; the backend that runs our statements
 * reports its real one. Unlike comparing `pg_backend_pid()` across transactions, this
 * cannot be fooled by a pool that happens to hand back the same backend: one round
 * trip, no guessing. It also flags a pooler in session mode, where the lease is merely
 * unnecessary, never wrong.
 */
export async function postgresPoolerReason(db: Session, announcedSessionId: number | undefined): Promise<string | undefined> {
  if (announcedSessionId === undefined) return undefined;
  const [row] = await db.read<{ pid: number | string }>("select pg_backend_pid() as pid");
  if (Number(row?.pid) === announcedSessionId) return undefined;
  pooled.add(db);
  return "the connection goes through a pooler such as PgBouncer (the server process differs from the one announced at connect), where a session advisory lock can be taken on one server session and released on another";
}

/** Whether `postgresPoolerReason` found this session behind a pooler. */
export function isPooled(db: Session): boolean {
  return pooled.has(db);
}
