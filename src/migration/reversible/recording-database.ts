import type { Database } from "../../dialect/database.js";
import { RecordingSchemaBuilder } from "./recording-schema-builder.js";
import { shortSql, type CommandRecording } from "./recording.js";

/** Methods of a Database that send statements of their own: none may run while recording. */
const WRITES = new Set<PropertyKey>(["executeAll", "executeInternal", "writeOnCommit", "withStatementHooks", "pretend", "close"]);

/**
 * `this.db` of a change() being recorded: the real connection for everything that only
 * reads (its dialect, grammar, introspector, `read`), a recording schema builder as
 * `schema`, and raw SQL (`execute`, `query`) refused as irreversible before it reaches
 * the database. A transaction opened by change() is only a call of its function.
 */
export function recordingDatabase(db: Database, recording: CommandRecording): Database {
  const schema = new RecordingSchemaBuilder(db, recording);
  const proxy: Database = new Proxy(db, {
    get(target, property) {
      if (property === "schema") return schema;
      if (property === "execute" || property === "query") {
        // Raw SQL: what it did cannot be known, nor undone.
        return async (sql: string) => recording.refuse(`${String(property)} "${shortSql(String(sql))}"`);
      }
      if (property === "transaction") return <T>(fn: (db: Database) => Promise<T>) => fn(proxy);
      if (WRITES.has(property)) return () => recording.refuse(`this.db.${String(property)}()`);
      // The real object as receiver: its getters and methods use private fields.
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return proxy;
}
