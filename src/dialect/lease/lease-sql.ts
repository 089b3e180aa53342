import type { Grammar } from "../../grammar/grammar.js";
import type { DialectName } from "../dialect.js";

/**
 * The SQL of the lease lock, one text per step. Every value is bound; only the lock
 * table's name is an identifier, quoted. Times are milliseconds since the epoch read
 * from the database's clock (PostgreSQL, MySQL), so the processes that share a lease
 * never compare their own clocks; SQLite's lease file is local, so its clock is too.
 */
export interface LeaseSql {
  readonly createTable: string;
  /** Remove the row of `name` when it expired (a crashed holder). Binds: name. */
  readonly deleteExpired: string;
  /**
   * Insert the row of `name` unless one exists; one affected row means the lease is
   * ours. Binds: name, owner, holder, lease ms; on PostgreSQL also the advisory-lock key
   * of the session lock, tried for the length of the statement, so a run holding the
   * session lock directly (not through a pooler) keeps a lease from being taken.
   */
  readonly insertIfAbsent: string;
  /** Push the expiry on, only while we still own the row (compare-and-set). Binds: lease ms, name, owner. */
  readonly renew: string;
  /** Binds: name, owner. */
  readonly release: string;
  /** The holder of a live (unexpired) lease on `name`, if any. Binds: name. */
  readonly liveHolder: string;
}

const NOW_MS: Record<DialectName, string> = {
  postgres: "(extract(epoch from clock_timestamp()) * 1000)::bigint",
  // now(6): a statement's own time, not the transaction's; Galera nodes read their own clocks (keep them in NTP).
  mysql: "cast(unix_timestamp(now(6)) * 1000 as signed)",
  sqlite: "cast((julianday('now') - 2440587.5) * 86400000 as integer)",
};

export function leaseSql(dialect: DialectName, grammar: Grammar, table: string): LeaseSql {
  const t = grammar.quoteIdentifier(table);
  const c = (name: string) => grammar.quoteIdentifier(name);
  const p = (i: number) => grammar.parameter(i);
  const now = NOW_MS[dialect];
  // MySQL keys are limited to 3072 bytes; 191 characters of utf8mb4 fit any row format.
  const text = (length: number) => (dialect === "sqlite" ? "text" : `varchar(${length})`);
  const insertVerb = dialect === "mysql" ? "insert ignore into" : dialect === "sqlite" ? "insert or ignore into" : "insert into";
  const onConflict = dialect === "postgres" ? ` on conflict (${c("name")}) do nothing` : "";
  return {
    createTable:
      `create table if not exists ${t} (${c("name")} ${text(191)} not null primary key, ${c("owner")} ${text(64)} not null, ` +
      `${c("holder")} ${text(255)} not null, ${c("heartbeat_at")} bigint not null, ${c("expires_at")} bigint not null)`,
    deleteExpired: `delete from ${t} where ${c("name")} = ${p(1)} and ${c("expires_at")} < ${now}`,
    insertIfAbsent:
      `${insertVerb} ${t} (${grammar.columnList(["name", "owner", "holder", "heartbeat_at", "expires_at"])}) ` +
      (dialect === "postgres"
        ? `select ${p(1)}, ${p(2)}, ${p(3)}, ${now}, ${now} + ${p(4)}::bigint where pg_try_advisory_xact_lock(${p(5)}::bigint)`
        : `values (${p(1)}, ${p(2)}, ${p(3)}, ${now}, ${now} + ${p(4)})`) +
      onConflict,
    renew:
      `update ${t} set ${c("heartbeat_at")} = ${now}, ${c("expires_at")} = ${now} + ${p(1)} ` +
      `where ${c("name")} = ${p(2)} and ${c("owner")} = ${p(3)}`,
    release: `delete from ${t} where ${c("name")} = ${p(1)} and ${c("owner")} = ${p(2)}`,
    liveHolder: `select ${c("holder")} as ${c("holder")} from ${t} where ${c("name")} = ${p(1)} and ${c("expires_at")} >= ${now}`,
  };
}
