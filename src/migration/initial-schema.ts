import type { Database } from "../dialect/database.js";
import type { RanMigration } from "./plan.js";

/**
 * A schema dump `migrate` loads before migrating an empty database (Laravel's
 * behaviour): supplied by the caller (the CLI builds it from `schema:dump`'s file),
 * so the migration layer knows nothing of how a dump is read or written.
 */
export interface InitialSchema {
  /** The dump's path as shown to people. */
  readonly path: string;
  /** Run the dump on `db`; resolves to the statements it ran. */
  load(db: Database): Promise<readonly string[]>;
  /** The dump's statements, for `--pretend`. */
  statements(): readonly string[];
  /** The migrations the dump records as ran, for `--pretend` (nothing is loaded then). */
  covered(): readonly { migration: string; batch: number }[];
}

/** What loading did: reported in `RunResult.loadedSchema`. */
export interface LoadedSchema {
  readonly path: string;
  /** With `pretend`: the statements loading would run. */
  readonly statements?: readonly string[];
}

/**
 * Load `initial` when the database is empty — no table, no view, so no tracking table
 * either. Resolves to what was loaded and, when pretending, the tracking rows the dump
 * would have written; undefined when the database was not empty.
 */
export async function loadInitialSchema(
  db: Database,
  initial: InitialSchema,
  pretend: boolean,
): Promise<{ loaded: LoadedSchema; pretendRan?: RanMigration[] } | undefined> {
  const [tables, views] = await Promise.all([db.introspector.getTables(), db.introspector.getViews()]);
  if (tables.length > 0 || views.length > 0) return undefined;
  if (pretend) {
    const pretendRan = initial.covered().map((row, i) => ({ id: i + 1, migration: row.migration, batch: row.batch, checksum: null, status: "ran" as const }));
    return { loaded: { path: initial.path, statements: initial.statements() }, pretendRan };
  }
  await initial.load(db);
  return { loaded: { path: initial.path } };
}

/**
 * The migrations the dump covers: once `schema:dump --prune` has deleted their files they
 * are squashed into the dump, not missing, so status, validate and migrate stay quiet
 * about them. Empty without a dump.
 */
export function squashedIntoDump(initial: InitialSchema | undefined): Set<string> {
  return new Set(initial ? initial.covered().map((row) => row.migration) : []);
}
