import type { ColumnInfo, ForeignKeyInfo, IndexInfo, LiveTable } from "./live-schema.js";
import { Blueprint } from "./blueprint.js";
import type { SchemaCommand } from "./commands.js";
import { ForeignKeyToggle } from "./foreign-key-toggle.js";
import { assertIndexQuery, indexMatches, type IndexKind } from "./index-match.js";
import { assertIdentifier } from "./naming.js";
import type { SchemaSession } from "./schema-session.js";
import { tablesDependedOn, type SafeSchemaContext } from "./safe-session.js";
import type { CompiledQuery } from "../grammar/grammar.js";
import { InvalidSchemaError, UnsupportedOperationError } from "../errors.js";

/** A blueprint that runs when an `await using` block ends (Masonite's `with` form). */
export type DeferredBlueprint = Blueprint & AsyncDisposable;

/**
 * What `create` and `table` call with the blueprint. Its return value is not used, so an
 * arrow that returns the blueprint or a column (`(t) => t.dropColumn("y")`) type-checks;
 * a returned promise (an async callback) is awaited before the blueprint runs, and its
 * rejection fails the call.
 */
type BlueprintCallback = (table: Blueprint) => unknown;

/**
 * `this.schema` in a migration: turns blueprints into commands, compiles them with the
 * dialect's grammar and runs them on the migration's connection.
 *
 * @example
 * await schema.create("users", (t) => { t.increments("id"); t.string("email").unique(); });
 * await using t = await schema.table("users"); t.string("name").nullable();
 */
export class SchemaBuilder {
  readonly #db: SchemaSession;
  readonly #foreignKeys: ForeignKeyToggle;

  constructor(db: SchemaSession) {
    this.#db = db;
    this.#foreignKeys = new ForeignKeyToggle(db);
  }

  /** Create a table. Without a callback, returns a blueprint that runs when disposed. */
  create(table: string, callback: BlueprintCallback): Promise<void>;
  create(table: string): Promise<DeferredBlueprint>;
  create(table: string, callback?: BlueprintCallback): Promise<void | DeferredBlueprint> {
    return this.#build(table, "create", callback);
  }

  /** Create the table unless a table of that name exists already. */
  async createIfNotExists(table: string, callback: BlueprintCallback): Promise<void> {
    if (await this.hasTable(table)) return;
    await this.create(table, callback);
  }

  /** Alter a table. Without a callback, returns a blueprint that runs when disposed. */
  table(table: string, callback: BlueprintCallback): Promise<void>;
  table(table: string): Promise<DeferredBlueprint>;
  table(table: string, callback?: BlueprintCallback): Promise<void | DeferredBlueprint> {
    return this.#build(table, "alter", callback);
  }

  async drop(table: string): Promise<void> {
    assertIdentifier(table, "table name");
    await this.run([{ kind: "dropTable", table, ifExists: false }]);
  }

  async dropIfExists(table: string): Promise<void> {
    assertIdentifier(table, "table name");
    await this.run([{ kind: "dropTable", table, ifExists: true }]);
  }

  async rename(from: string, to: string): Promise<void> {
    assertIdentifier(from, "table name");
    assertIdentifier(to, "new table name");
    await this.run([{ kind: "renameTable", from, to }]);
  }

  /** Delete every row and reset the auto-increment counter. */
  async truncate(table: string): Promise<void> {
    assertIdentifier(table, "table name");
    const autoIncrement = (await this.getColumns(table)).some((c) => c.autoIncrement);
    await this.run([{ kind: "truncateTable", table, autoIncrement }]);
  }

  async hasTable(table: string): Promise<boolean> {
    return this.#db.introspector.hasTable(table);
  }

  async hasColumn(table: string, column: string): Promise<boolean> {
    return (await this.getColumns(table)).some((c) => c.name === column);
  }

  getTables(): Promise<string[]> {
    return this.#db.introspector.getTables();
  }

  getViews(): Promise<string[]> {
    return this.#db.introspector.getViews();
  }

  getColumns(table: string): Promise<ColumnInfo[]> {
    return this.#db.introspector.getColumns(table);
  }

  getIndexes(table: string): Promise<IndexInfo[]> {
    return this.#db.introspector.getIndexes(table);
  }

  getForeignKeys(table: string): Promise<ForeignKeyInfo[]> {
    return this.#db.introspector.getForeignKeys(table);
  }

  /**
   * Whether `table` has the index named `index`, or one over exactly these columns in
   * this order (Laravel's `hasIndex`); with `type`, only one of that kind: `primary`,
   * `unique` (a primary key counts), `index` (plain), `fulltext`, or a method such as `btree`.
   *
   * @example
   * await schema.hasIndex("users", "users_email_unique");
   * await schema.hasIndex("users", ["email"], "unique");
   */
  async hasIndex(table: string, index: string | readonly string[], type?: IndexKind): Promise<boolean> {
    assertIdentifier(table, "table name");
    assertIndexQuery(table, index, type);
    return (await this.getIndexes(table)).some((info) => indexMatches(this.#db.dialect, info, index, type));
  }

  /**
   * Switch foreign-key checks off for this connection until `enableForeignKeyConstraints()`
   * (Laravel's pair; `withoutForeignKeyConstraints(fn)` is the form that cannot forget to
   * enable). Inside a migration they are enabled again when the migration ends, if it
   * did not. On SQLite inside a transaction the checks are deferred to commit instead.
   */
  async disableForeignKeyConstraints(): Promise<void> {
    await this.#foreignKeys.disable();
  }

  /** Restore the foreign-key checks found by `disableForeignKeyConstraints()`; nothing to do without one. */
  async enableForeignKeyConstraints(): Promise<void> {
    await this.#foreignKeys.enable();
  }

  /** @internal The Migrator's call when a migration ends (see ForeignKeyToggle.release). */
  async releaseForeignKeyConstraints(failed: boolean): Promise<void> {
    await this.#foreignKeys.release(failed);
  }

  /**
   * Run `fn` with foreign-key checks off for this session, restoring the previous
   * setting afterwards. On SQLite inside a transaction the checks are deferred to
   * commit instead (SQLite cannot switch them off mid-transaction).
   */
  async withoutForeignKeyConstraints<T>(fn: () => Promise<T>): Promise<T> {
    const restore = await this.#db.dialectFactory.disableForeignKeys(this.#db, this.#db.inTransaction);
    let result: T;
    try {
      result = await fn();
    } catch (error) {
      await restoreAfterFailure(restore);
      throw error;
    }
    await restore();
    return result;
  }

  /** Drop every table and view of the database (for `migrate:fresh`). */
  async dropAllTablesAndViews(): Promise<void> {
    const [tables, views] = await Promise.all([this.getTables(), this.getViews()]);
    if (tables.length === 0 && views.length === 0) return;
    await this.#db.executeAll(this.#db.grammar.compileDropAll(tables, views));
  }

  /**
   * Compile and run commands (the one path every schema change takes). Commands that
   * need the live table (SQLite's rebuilds) are planned against a snapshot read just
   * before they run, so they see what the commands before them did; consecutive ones on
   * the same table share one rebuild. Commands that must keep what they do not restate
   * (PostgreSQL and MySQL: checks, identity, the index a foreign key needs) are compiled
   * again against the table read just before each runs.
   */
  async run(commands: readonly SchemaCommand[]): Promise<void> {
    const grammar = this.#db.grammar;
    // Compile everything that needs no snapshot first: a refused operation stops the
    // call before any of its statements runs.
    const compiled = commands.map((c) => (grammar.snapshotTable(c) === undefined ? grammar.compileOne(c) : undefined));
    for (const command of commands) {
      // What the dialect ignores, as Laravel does, is said rather than silently dropped.
      for (const message of grammar.warningsFor(command)) this.#db.reportChange({ kind: "warning", message });
      // These can leave children without a parent where enforcement is off (SQLite migrations).
      if (command.kind === "dropTable" || command.kind === "truncateTable" || command.kind === "dropColumns") {
        this.#db.reportChange({ kind: "mayOrphanRows", table: command.table });
      }
      // Only SQLite accepts a key to a missing table; its run strategy checks these.
      if (command.kind === "createTable") {
        for (const fk of command.foreignKeys) this.#db.reportChange({ kind: "referencesTable", table: command.table, parent: fk.referencedTable });
      } else if (command.kind === "addForeignKey") {
        this.#db.reportChange({ kind: "referencesTable", table: command.table, parent: command.foreignKey.referencedTable });
      } else if (command.kind === "renameTable") {
        this.#db.reportChange({ kind: "tableRenamed", from: command.from, to: command.to });
      }
    }
    for (let i = 0; i < commands.length; ) {
      const table = grammar.snapshotTable(commands[i]!);
      if (table === undefined) {
        const command = commands[i]!;
        const liveTable = grammar.liveTable(command);
        const live = liveTable === undefined ? undefined : await this.#readLive(liveTable);
        const statements = liveTable === undefined ? compiled[i]! : grammar.compileAgainstLive(command, live);
        const safe = this.#db.safeExecution;
        await this.#db.executeAll(safe ? await this.#safely(safe, command, statements, live) : statements);
        i++;
        continue;
      }
      let end = i + 1;
      while (end < commands.length && grammar.snapshotTable(commands[end]!) === table) end++;
      await this.#runAgainstSnapshot(table, commands.slice(i, end));
      i = end;
    }
  }

  /**
   * Safe execution (`--safe`) of one command: first what earlier commands deferred and
   * this one depends on is taken back and run in its ordinary form (correct before
   * safe); then, on a table that existed before the migration, the grammar's safe plan
   * runs its `now` part and defers the rest until the migration commits.
   */
  async #safely(safe: SafeSchemaContext, command: SchemaCommand, statements: readonly CompiledQuery[], live: LiveTable | undefined): Promise<CompiledQuery[]> {
    const takenBack = tablesDependedOn(command).flatMap((table) => safe.takeBack(table));
    const table = command.kind === "renameTable" ? command.from : command.kind === "createTable" ? undefined : command.table;
    if (table === undefined || !safe.existed(table)) return [...takenBack, ...statements];
    const needsLive = command.kind === "changeColumn" && live === undefined && !this.#db.pretending;
    const plan = this.#db.grammar.compileSafe(command, statements, needsLive ? await this.#readLive(table) : live);
    if (!plan) return [...takenBack, ...statements];
    if (safe.immediate) return [...takenBack, ...plan.now, ...plan.later.flatMap((step) => step.statements.map((sql) => ({ sql, parameters: [] })))];
    if (plan.later.length > 0) safe.defer(plan.later, plan.inline);
    return [...takenBack, ...plan.now];
  }

  /** The table as it is right now, or undefined when it is not there (pretending past its create). */
  async #readLive(table: string): Promise<LiveTable | undefined> {
    const introspector = this.#db.introspector;
    if (!(await introspector.hasTable(table))) return undefined;
    const columns = await introspector.getColumns(table);
    const indexes = await introspector.getIndexes(table);
    const foreignKeys = await introspector.getForeignKeys(table);
    const checks = introspector.getChecks ? await introspector.getChecks(table) : [];
    return { table, columns, indexes, foreignKeys, checks };
  }

  /**
   * A table rebuild drops the old table: with foreign keys enforced, that would delete
   * (or cascade to) every child row. Outside a transaction the switch is flipped here
   * around a transaction of its own, with every key checked before commit; inside one
   * SQLite cannot flip it, so the caller (the run strategy) must have done it already.
   */
  async #runAgainstSnapshot(table: string, commands: readonly SchemaCommand[]): Promise<void> {
    const db = this.#db;
    const dialect = db.dialectFactory;
    if (!db.introspector.getTableSnapshot) {
      throw new UnsupportedOperationError(db.dialect, `plan ${commands.map((c) => c.kind).join(", ")} against the live table`);
    }
    if (!(await this.hasTable(table))) throw new InvalidSchemaError(`table "${table}" does not exist`);
    const plan = db.grammar.compileWithSnapshot(commands, await db.introspector.getTableSnapshot(table));
    if (!plan.copiesTable || db.pretending) {
      await db.executeAll(plan.statements);
      return;
    }
    db.reportChange({ kind: "mayOrphanRows", table });
    if (db.inTransaction) {
      if (await dialect.foreignKeysEnforced?.(db)) {
        throw new UnsupportedOperationError(
          db.dialect,
          `rebuild table "${table}" inside a transaction while foreign keys are enforced`,
          "SQLite cannot switch them off inside a transaction; run it through the Migrator (which switches them off before each migration) or switch them off before your transaction",
        );
      }
      await db.executeAll(plan.statements);
      return;
    }
    const restore = await dialect.disableForeignKeys(db, false);
    try {
      await db.transaction(async () => {
        await db.executeAll(plan.statements);
        await dialect.checkForeignKeys?.(db, [table]);
      });
    } finally {
      await restore();
    }
  }

  async #build(table: string, mode: "create" | "alter", callback?: BlueprintCallback): Promise<void | DeferredBlueprint> {
    const blueprint = new Blueprint(table, mode, { maxIdentifierLength: this.#db.grammar.maxIdentifierLength });
    if (callback) {
      await callback(blueprint);
      await this.run(blueprint.toCommands());
      return;
    }
    const run = () => this.run(blueprint.toCommands());
    return Object.assign(blueprint, { [Symbol.asyncDispose]: run }) as DeferredBlueprint;
  }
}

/**
 * After `fn` failed, the restore may fail too: on PostgreSQL a failed statement aborts
 * the transaction, and the restoring `set` is then refused with "current transaction is
 * aborted", which would hide the error the user needs to see. The original error is
 * what is thrown. Nothing is left switched off: the rollback that follows undoes a
 * `set` made inside the transaction, and outside one the restore only fails when the
 * session itself is gone.
 */
async function restoreAfterFailure(restore: () => Promise<void>): Promise<void> {
  try {
    await restore();
  } catch {
    // Deliberately dropped in favour of the original error (see above).
  }
}
