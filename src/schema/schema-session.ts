import type { Dialect, Introspector, Session } from "../dialect/dialect.js";
import type { CompiledQuery, DialectName, Grammar } from "../grammar/grammar.js";
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
  /** The dialect's foreign-key switch and checks. */
  readonly dialectFactory: Pick<Dialect, "disableForeignKeys" | "foreignKeysEnforced" | "checkForeignKeys">;
  executeAll(queries: readonly CompiledQuery[]): Promise<void>;
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** Tell whoever runs the migration (its run strategy) what a change did. */
  reportChange(change: SchemaChange): void;
}
