import { connect, Migrator, MortarError, type ConnectionConfig } from "../index.js";

/** Run every migration on the (empty) database `config` names; throws what stopped the run. */
export async function migrateTemplate(config: ConnectionConfig, path: string, table: string): Promise<void> {
  const db = await connect(config);
  try {
    const result = await new Migrator(db, { path, table }).migrate();
    if (result.error) {
      const where = result.error.migration ? ` (${result.error.migration})` : "";
      throw new MortarError(result.error.code, `test database template: migrating failed${where}: ${result.error.message}`, {
        cause: result.error.cause,
      });
    }
  } finally {
    await db.close();
  }
}

/**
 * Whether the template `config` names holds every migration of the folder as ran: one
 * left half-built by a crashed worker (MySQL cannot build under another name and rename)
 * is not reused.
 */
export async function templateIsComplete(config: ConnectionConfig, path: string, table: string): Promise<boolean> {
  const db = await connect(config);
  try {
    const { migrations } = await new Migrator(db, { path, table }).status();
    return migrations.every((m) => m.status === "ran");
  } catch {
    return false;
  } finally {
    await db.close();
  }
}
