import { connect } from "../dialect/connect.js";
import type { Database } from "../dialect/database.js";
import { ConfigError } from "../errors.js";
import type { Tenant } from "./tenant.js";

/**
 * Open a tenant's connection. A schema tenant gets `search_path` set to its schema right
 * after connecting, on the one session its run uses (Mortar never reconnects mid-run; a
 * new run connects and sets it again), so the tracking table, the introspector
 * (`current_schema()`) and every unqualified name in a migration are that schema's.
 */
export async function connectTenant(tenant: Tenant): Promise<Database> {
  const db = await connect(tenant.connection);
  if (tenant.schema === undefined) return db;
  try {
    // search_path is a session setting: behind a transaction pooler the next transaction may
    // reach a server session where it was never set, and migrate the wrong schema.
    const pooler = await db.dialectFactory.sessionLockUnsafe?.(db, db.announcedSessionId);
    if (pooler !== undefined) {
      throw new ConfigError(`tenant "${tenant.id}": a schema tenant needs its search_path to hold for the whole run, but ${pooler}; connect schema tenants to PostgreSQL directly, not through the pooler`);
    }
    const found = await db.read("select 1 from pg_catalog.pg_namespace where nspname = $1", [tenant.schema]);
    if (found.length === 0) throw new ConfigError(`tenant "${tenant.id}": schema "${tenant.schema}" does not exist in database "${tenant.connection.database}"`);
    await db.executeInternal(`set search_path to ${db.grammar.quoteIdentifier(tenant.schema)}`);
    return db;
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}
