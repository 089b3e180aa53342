import type { Database } from "../../dialect/database.js";
import type { Introspector } from "../../schema/live-schema.js";
import { SAFETY_ASSURED } from "../migration.js";
import { RecordingSchemaBuilder } from "./recording-schema-builder.js";
import type { RecordingTarget } from "./recording.js";

/** Methods of a Database that send statements of their own: none may run while recording. */
const WRITES = new Set<PropertyKey>(["executeAll", "executeInternal", "writeOnCommit", "withStatementHooks", "pretend", "close"]);

export interface RecordingOptions {
  /**
   * What reads of the schema answer from, instead of the connection's own introspector
   * (`mortar lint --offline`: the tables the migration files declared so far).
   */
  readonly introspector?: Introspector;
}

/**
 * `this.db` of a migration being recorded: the real connection for everything that only
 * reads (its dialect, grammar, introspector, `read`), a recording schema builder as
 * `schema`, and raw SQL (`execute`, `query`) handed to the target, which refuses it
 * (a change() recorded for rollback) or keeps it (lint). A transaction opened by the
 * migration is only a call of its function.
 */
export function recordingDatabase(db: Database, target: RecordingTarget, options: RecordingOptions = {}): Database {
  const schema = new RecordingSchemaBuilder(db, target, options.introspector);
  const proxy: Database = new Proxy(db, {
    get(target_, property) {
      if (property === "schema") return schema;
      if (property === "introspector" && options.introspector) return options.introspector;
      if (property === "execute" || property === "query") {
        const method = property;
        return async (sql: string) => target.raw(method, String(sql));
      }
      if (property === "transaction") return <T>(fn: (db: Database) => Promise<T>) => fn(proxy);
      if (property === SAFETY_ASSURED) return target.assured?.bind(target);
      if (WRITES.has(property)) return async () => target.statement(`this.db.${String(property)}()`);
      // The real object as receiver: its getters and methods use private fields.
      const value: unknown = Reflect.get(target_, property, target_);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target_) : value;
    },
  });
  return proxy;
}
