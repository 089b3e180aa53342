import type { Session } from "../dialect.js";

/**
 * A Galera node (`wsrep_on` = ON): `GET_LOCK` is local to the node, so runs against two
 * nodes would both hold it. `SHOW GLOBAL VARIABLES` answers on every MySQL and MariaDB
 * (an empty result where wsrep does not exist), so the check never fails a run.
 */
export async function galeraReason(db: Session): Promise<string | undefined> {
  const rows = await db.read<Record<string, unknown>>("show global variables like 'wsrep_on'");
  const value = rows[0] ? String(rows[0].Value ?? rows[0].VALUE ?? rows[0].value ?? "") : "";
  if (value.toUpperCase() !== "ON") return undefined;
  return "the server is a Galera cluster node (wsrep_on = ON), where GET_LOCK holds on one node only";
}
