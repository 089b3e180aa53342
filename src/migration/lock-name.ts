/**
 * The migration lock's identity: one lock per database and tracking table, so two
 * projects sharing a server do not block each other. Deterministic across processes.
 */
export function lockName(database: string, table: string): string {
  return `mortar:${database}:${table}`;
}
