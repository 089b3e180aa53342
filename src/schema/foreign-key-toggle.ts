import type { ForeignKeySwitch, SchemaSession } from "./schema-session.js";

/**
 * Laravel's `disableForeignKeyConstraints()` / `enableForeignKeyConstraints()` as
 * `withoutForeignKeyConstraints(fn)` split in two: disabling goes through the dialect's
 * switch (MySQL `foreign_key_checks`, PostgreSQL `session_replication_role`, SQLite
 * `foreign_keys` or, inside a transaction, `defer_foreign_keys`) and keeps what it
 * returns; enabling restores the setting found before the disable, not a blanket "on".
 *
 * The switch is per session and outlives a migration, so the Migrator `release()`s it
 * when a migration ends: a migration that disables and never enables does not leave the
 * next migration, or the connection, with checks off.
 */
export class ForeignKeyToggle {
  readonly #session: SchemaSession;
  #restore: (() => Promise<void>) | undefined;

  constructor(session: SchemaSession) {
    this.#session = session;
  }

  /** Whether checks are off through this toggle right now. */
  get disabled(): boolean {
    return this.#restore !== undefined;
  }

  /** Switch checks off. A second call while off changes nothing (one enable turns them back on). */
  async disable(): Promise<void> {
    if (this.#restore) return;
    const factory: ForeignKeySwitch = this.#session.dialectFactory;
    this.#restore = await factory.disableForeignKeys(this.#session, this.#session.inTransaction);
  }

  /**
   * Restore what `disable()` found. Without a disable before it, the session is as
   * Mortar left it and nothing is sent (the run strategies may hold checks off on purpose,
   * as SQLite does around a batch).
   */
  async enable(): Promise<void> {
    const restore = this.#restore;
    if (!restore) return;
    await restore();
    this.#restore = undefined;
  }

  /**
   * @internal At the end of a migration: enable if it was left disabled. After a failure
   * the restore may be refused (PostgreSQL's aborted transaction); the rollback then
   * undoes a disable made inside the transaction, and the original error is what matters.
   */
  async release(failed: boolean): Promise<void> {
    const restore = this.#restore;
    if (!restore) return;
    this.#restore = undefined;
    if (!failed) {
      await restore();
      return;
    }
    try {
      await restore();
    } catch {
      // Dropped in favour of the migration's own error (see above).
    }
  }
}
