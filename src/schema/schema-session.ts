import type { SafeSchemaContext } from "./safe-session.js";
import type { CompiledQuery, Grammar } from "../grammar/grammar.js";
import type { DialectName, Introspector, Session } from "./live-schema.js";
import type { SchemaChange } from "./schema-change.js";

/**
 * What the schema builder needs of a connection, and no more: the Database implements
 * it, so the builder never imports the Database that creates it.
 */
export interface SchemaSession extends Session {
  readonly dialect: DialectName;
  readonly grammar: Grammar;
  readonly introspector: Introspector;
  readonly inTransaction: boolean;
  readonly pretending: boolean;
  /** @internal The dialect's foreign-key switch and checks. */
  readonly dialectFactory: ForeignKeySwitch;
  executeAll(queries: readonly CompiledQuery[]): Promise<void>;
  /** @internal Set for the length of a migration run with safe execution (`--safe`). */
  readonly safeExecution?: SafeSchemaContext | undefined;
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** @internal Tell whoever runs the migration (its run strategy) what a change did. */
  reportChange(change: SchemaChange): void;
}

/** A dialect's foreign-key switch and checks: the part of a Dialect the schema builder uses. */
export interface ForeignKeySwitch {
  /**
   * Switch foreign-key enforcement off for the session and return what restores the
   * previous state. Reads go through `session.read` (real even while pretending).
   */
  disableForeignKeys(session: Session, inTransaction: boolean): Promise<() => Promise<void>>;
  /** Dialects that rebuild tables: whether foreign keys are enforced right now in this session. */
  foreignKeysEnforced?(session: Session): Promise<boolean>;
  /**
   * Dialects that rebuild tables: throw when a row violates a foreign key (before
   * commit). With `tables`, only the keys of those tables and of the tables whose keys
   * reference them (their children) are checked; without, every key of the database.
   */
  checkForeignKeys?(session: Session, tables?: readonly string[]): Promise<void>;
}
