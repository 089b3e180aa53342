import { connect } from "./connect.js";
import type { Database } from "./database.js";
import type { ConnectionConfig } from "./dialect.js";

/** What the resolver needs of a resolved configuration (structural: the dialect layer imports no config). */
export interface NamedConnections {
  readonly connectionName: string;
  connectionNamed(name: string): ConnectionConfig;
}

/**
 * Opens the connection a migration's `static connection` names, once per name, and adds
 * it to `opened` so whoever runs the command closes it; the default connection's name
 * gives `db` itself (for a tenant, its own database).
 */
export function connectionResolver(config: NamedConnections, db: Database, opened: Database[]): (name: string) => Promise<Database> {
  const others = new Map<string, Promise<Database>>();
  return (name) => {
    if (name === config.connectionName) return Promise.resolve(db);
    let pending = others.get(name);
    if (!pending) {
      pending = connect(config.connectionNamed(name)).then((other) => (opened.push(other), other));
      others.set(name, pending);
    }
    return pending;
  };
}
