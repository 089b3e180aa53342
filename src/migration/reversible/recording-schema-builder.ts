import type { Database } from "../../dialect/database.js";
import type { SchemaCommand } from "../../schema/commands.js";
import type { Introspector } from "../../schema/live-schema.js";
import { SchemaBuilder } from "../../schema/schema-builder.js";
import type { SchemaSession } from "../../schema/schema-session.js";
import { shortSql, type RecordingTarget } from "./recording.js";

/**
 * `this.schema` while a migration is recorded: every schema change is kept as commands
 * instead of running. Reads (hasTable, getColumns …) still read the live database (for a
 * change() being rolled back, the database as the migrations left it), or the
 * introspector given. A statement sent outside a command goes to the target, which
 * refuses it (rollback) or lets it pass unsent (lint).
 */
export class RecordingSchemaBuilder extends SchemaBuilder {
  readonly #target: RecordingTarget;

  constructor(db: Database, target: RecordingTarget, introspector?: Introspector) {
    super(guardedSession(db, target, introspector ?? db.introspector));
    this.#target = target;
  }

  override async run(commands: readonly SchemaCommand[]): Promise<void> {
    this.#target.record(commands);
  }

  /**
   * Whether up() created the table cannot be known when rolling back (the table exists
   * either way), so dropping it could drop a table that was there before. Lint records
   * what it would do, reading whether the table is there.
   */
  override async createIfNotExists(table: string, callback: Parameters<SchemaBuilder["createIfNotExists"]>[1]): Promise<void> {
    if (this.#target.refusesCreateIfNotExists) this.#target.statement(`createIfNotExists "${table}"`);
    return super.createIfNotExists(table, callback);
  }

  /** Recorded, not switched: the inverse runs inside the same switch. */
  override async withoutForeignKeyConstraints<T>(fn: () => Promise<T>): Promise<T> {
    this.#target.withoutForeignKeys = true;
    return fn();
  }

  override async dropAllTablesAndViews(): Promise<void> {
    this.#target.statement("dropAllTablesAndViews()");
  }
}

/**
 * The connection as the recording builder sees it: reads go through, every write goes
 * to the target (a method added to the builder later that writes directly cannot slip
 * through unseen).
 */
function guardedSession(db: Database, target: RecordingTarget, introspector: Introspector): SchemaSession {
  const statement = (sql: string) => target.statement(`statement "${shortSql(sql)}"`);
  const session: SchemaSession = {
    get dialect() {
      return db.dialect;
    },
    get grammar() {
      return db.grammar;
    },
    introspector,
    get inTransaction() {
      return db.inTransaction;
    },
    pretending: false,
    dialectFactory: db.dialectFactory,
    read: <T>(sql: string, parameters?: readonly unknown[]) => db.read<T>(sql, parameters ?? []),
    execute: async (sql) => statement(sql),
    executeAll: async (queries) => {
      for (const query of queries) statement(query.sql);
    },
    transaction: (fn) => fn(),
    reportChange: () => undefined,
  };
  return session;
}
