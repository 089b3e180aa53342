import type { Session } from "../dialect.js";

/**
 * A Galera node (`wsrep_on` = ON): `GET_LOCK` is local to the node, so runs against two
 * nodes would both hold it. MariaDB always knows the variable (OFF without a cluster);
 * MySQL does not and refuses to read it, which means no Galera. One cheap round trip
 * (`SHOW GLOBAL VARIABLES` costs three times as much, measured). On a Galera node the
 * session is also switched to causal reads (below).
 */
export async function galeraReason(db: Session): Promise<string | undefined> {
  let value: unknown;
  try {
    [value] = Object.values((await db.read<Record<string, unknown>>("select @@global.wsrep_on as wsrep_on"))[0] ?? {});
  } catch {
    return undefined;
  }
  if (!(Number(value) === 1 || String(value).toUpperCase() === "ON")) return undefined;
  // Causal reads for this run's session: a read waits until the node has applied every
  // write set the cluster committed before it, so the tracking table read after taking
  // the lease sees the previous holder's rows even when they were written on another node.
  await db.execute("set session wsrep_sync_wait = 1");
  return "the server is a Galera cluster node (wsrep_on = ON), where GET_LOCK holds on one node only";
}
