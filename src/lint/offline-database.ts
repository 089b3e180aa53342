import { dialectFor } from "../dialect/connect.js";
import { Database } from "../dialect/database.js";
import type { Driver } from "../dialect/dialect.js";
import type { DialectName } from "../schema/live-schema.js";

/**
 * A driver with no database behind it, for `mortar lint --offline`: whatever reaches it
 * (a migration's own `this.db.read`) answers no rows. Schema reads never get here (the
 * offline introspector answers them) and writes never do (the recording keeps them).
 */
const NO_DATABASE: Driver = {
  run: async () => ({ rows: [], affectedRows: 0 }),
  close: async () => undefined,
};

/** A Database of the dialect that never connects: what `this.db` wraps while linting offline. */
export function offlineDatabase(dialect: DialectName): Database {
  return new Database(dialectFor(dialect), NO_DATABASE, { driver: dialect });
}
