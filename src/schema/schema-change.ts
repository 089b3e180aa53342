/**
 * What a schema change did that a run may have to verify before it commits. The schema
 * builder (and the Database, for raw SQL) reports these; the dialect's run strategy
 * listens for the length of one migration. Only SQLite acts on them today: it runs with
 * foreign-key enforcement off, so it must find the orphans and missing parents itself.
 * Warnings go to the Migrator's step runner instead.
 */
export type SchemaChange =
  /** A dropped or truncated table, a dropped column, a rebuild: rows of its children may have lost their parent. */
  | { readonly kind: "mayOrphanRows"; readonly table: string }
  /** A foreign key was declared on `table` pointing at `parent` (SQLite accepts a parent that does not exist). */
  | { readonly kind: "referencesTable"; readonly table: string; readonly parent: string }
  /** A table was renamed: keys declared earlier in the migration now point at (or live on) `to`. */
  | { readonly kind: "tableRenamed"; readonly from: string; readonly to: string }
  /** Raw SQL ran: it may have changed any table. */
  | { readonly kind: "rawSql" }
  /**
   * Something the migration asked for that the dialect leaves out, as Laravel does
   * (`after()` on PostgreSQL): the Migrator adds it to the run's warnings.
   */
  | { readonly kind: "warning"; readonly message: string };
