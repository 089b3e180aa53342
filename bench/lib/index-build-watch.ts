import { connect } from "../../src/dialect/connect.js";
import type { ConnectionConfig } from "../../src/dialect/dialect.js";

export interface IndexBuildWatch {
  /** Stop polling; the longest CREATE INDEX seen running, in milliseconds (0: none seen). */
  stop(): Promise<number>;
}

const POLL_MS = 20;

/**
 * PostgreSQL only: how long a CREATE INDEX (plain or CONCURRENTLY) ran, seen from a third
 * connection that polls pg_stat_activity every 20 ms and keeps, per statement, the longest
 * time since its query_start while it was still active. The server's own clock, so the
 * figure is the build (with any lock waits in it), not the client's start-up; it can be
 * short by up to one poll. Reads only pg_stat_activity: it takes no lock on the table.
 */
export async function watchIndexBuilds(config: ConnectionConfig, limitMs: number): Promise<IndexBuildWatch> {
  const db = await connect(config);
  const sql =
    "select max(extract(epoch from (clock_timestamp() - query_start)) * 1000) as ms from pg_stat_activity " +
    "where datname = current_database() and state = 'active' and pid <> pg_backend_pid() and query ilike $1";
  const deadline = performance.now() + limitMs;
  let longest = 0;
  let stopping = false;
  const loop = (async () => {
    while (!stopping && performance.now() < deadline) {
      const [row] = await db.query<{ ms: number | string | null }>(sql, ["%create%index%"]);
      if (row?.ms != null) longest = Math.max(longest, Number(row.ms));
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  })();
  return {
    async stop() {
      stopping = true;
      try {
        await loop;
      } finally {
        await db.close();
      }
      return longest;
    },
  };
}
