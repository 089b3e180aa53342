import type { Database } from "../../dialect/database.js";
import type { SchemaCommand } from "../../schema/commands.js";
import { SchemaBuilder } from "../../schema/schema-builder.js";
import type { SchemaSession } from "../../schema/schema-session.js";
import { shortSql, type CommandRecording } from "./recording.js";

/**
 * `this.schema` while a change() is recorded: every schema change is kept as commands
 * instead of running. Reads (hasTable, getColumns …) still read the live database, which
 * at rollback time is the database as the migrations left it (after up). Anything that
 * would send a statement outside a command is refused as irreversible.
 */
export class RecordingSchemaBuilder extends SchemaBuilder {
  readonly #recording: CommandRecording;

  constructor(db: Database, recording: CommandRecording) {
    super(guardedSession(db, recording));
    this.#recording = recording;
  }

  override async run(commands: readonly SchemaCommand[]): Promise<void> {
    this.#recording.record(commands);
  }

  /**
   * Whether up() created the table cannot be known when rolling back (the table exists
   * either way), so dropping it could drop a table that was there before.
   */
  override async createIfNotExists(table: string): Promise<void> {
    this.#recording.refuse(`createIfNotExists "${table}"`);
  }

  /** Recorded, not switched: the inverse runs inside the same switch. */
  override async withoutForeignKeyConstraints<T>(fn: () => Promise<T>): Promise<T> {
    this.#recording.withoutForeignKeys = true;
    return fn();
  }

  override async dropAllTablesAndViews(): Promise<void> {
    this.#recording.refuse("dropAllTablesAndViews()");
  }
}

/**
 * The connection as the recording builder sees it: reads go through, every write is
 * refused (a method added to the builder later that writes directly cannot slip through).
 */
function guardedSession(db: Database, recording: CommandRecording): SchemaSession {
  const refuse = (sql: string) => recording.refuse(`statement "${shortSql(sql)}"`);
  const session: SchemaSession = {
    get dialect() {
      return db.dialect;
    },
    get grammar() {
      return db.grammar;
    },
    get introspector() {
      return db.introspector;
    },
    get inTransaction() {
      return db.inTransaction;
    },
    pretending: false,
    dialectFactory: db.dialectFactory,
    read: <T>(sql: string, parameters?: readonly unknown[]) => db.read<T>(sql, parameters ?? []),
    execute: async (sql) => refuse(sql),
    executeAll: async (queries) => {
      if (queries.length > 0) refuse(queries[0]!.sql);
    },
    transaction: (fn) => fn(),
    reportChange: () => undefined,
  };
  return session;
}
