import type { Database } from "../dialect/database.js";
import { ConfigError } from "../errors.js";
import type { SafeStep } from "../grammar/safe-plan.js";
import type { RanMigration } from "./plan.js";
import { MORTAR_COLUMNS, takeOverLegacyTable, type LegacyShape } from "./legacy-tracking-table.js";

/** `ran`, or the state of a migration that did not finish where DDL is not transactional. */
export type TrackingStatus = "ran" | "running" | "failed";

/**
 * The tracking table (`migrations` by default): one row per applied migration.
 * Every statement binds its values; only the table name is an identifier, quoted.
 * Its own writes go through `executeInternal`, so they never appear among a
 * migration's statements (nor in `--pretend` output).
 *
 * Columns: id, migration (unique), batch, checksum, executed_at, duration_ms, and for
 * runs that cannot be rolled back (MySQL DDL, `static transaction = false`): status,
 * the statements (JSON: those that ran, the one that may have partly run, the run's
 * token) and the error, so a half-applied migration is never silent.
 */
export class MigrationRepository {
  readonly #db: Database;
  readonly #table: string;

  constructor(db: Database, table = "migrations") {
    this.#db = db;
    this.#table = table;
  }

  get table(): string {
    return this.#table;
  }

  async exists(): Promise<boolean> {
    return this.#db.schema.hasTable(this.#table);
  }

  /** Create the tracking table if it is not there yet (never recorded as a migration statement). */
  async ensureTable(): Promise<void> {
    if (await this.exists()) return;
    await this.#db.schema.create(this.#table, (t) => {
      t.increments("id");
      t.string("migration").unique();
      t.integer("batch");
      t.string("checksum", 64).nullable();
      t.timestamp("executed_at").nullable().useCurrent();
      t.integer("duration_ms").nullable();
      t.string("status", 16).default("ran");
      t.text("statements").nullable();
      t.text("error").nullable();
    });
  }

  /**
   * Every tracked migration, in the order it was applied. Empty when the table does not
   * exist yet. A Laravel or Masonite tracking table is read as it is, or, with
   * `takeOver` (only under the migration lock), upgraded in place first.
   */
  async getRan({ takeOver = false }: { takeOver?: boolean } = {}): Promise<RanMigration[]> {
    if (!(await this.exists())) return [];
    const g = this.#db.grammar;
    const table = g.quoteIdentifier(this.#table);
    // Read on every run over the whole history: only the columns planning needs. What an
    // unfinished run left (its statements and error) is read for those rows alone.
    const readAll = () =>
      this.#db.read(
        `select ${g.columnList(["id", "migration", "batch", "checksum", "status"])} from ${table} order by ${g.quoteIdentifier("batch")}, ${g.quoteIdentifier("id")}`,
      );
    let rows: Record<string, unknown>[];
    try {
      rows = await readAll();
    } catch (error) {
      // Only a table without Mortar's columns fails here: nothing is inspected on the
      // every-run path.
      const legacy = await this.#legacyShape(error);
      if (takeOver) {
        await takeOverLegacyTable(this.#db, this.#table, legacy);
        rows = await readAll();
      } else {
        const id = g.quoteIdentifier(legacy.idColumn);
        rows = await this.#db.read(
          `select ${id} as ${g.quoteIdentifier("id")}, ${g.columnList(["migration", "batch"])} from ${table} order by ${g.quoteIdentifier("batch")}, ${id}`,
        );
      }
    }
    const ran: RanMigration[] = rows.map((r) => ({
      id: Number(r.id),
      migration: String(r.migration),
      batch: Number(r.batch),
      checksum: r.checksum == null ? null : String(r.checksum),
      status: (r.status == null ? "ran" : String(r.status)) as TrackingStatus,
    }));
    if (ran.every((r) => r.status === "ran")) return ran;
    const details = new Map(
      (
        await this.#db.read(
          `select ${g.columnList(["migration", "statements", "error"])} from ${table} where ${g.quoteIdentifier("status")} <> ${g.parameter(1)}`,
          ["ran"],
        )
      ).map((r) => [String(r.migration), r]),
    );
    return ran.map((r) => {
      const detail = details.get(r.migration);
      return detail ? { ...r, ...parseProgress(detail.statements), error: detail.error == null ? null : String(detail.error) } : r;
    });
  }

  /**
   * Why the tracking table could not be read: Laravel's or Masonite's shape (taken over),
   * or a table of that name that is no tracking table at all (an error naming both the
   * table and the setting that picks another name). Anything else is rethrown as it was.
   */
  async #legacyShape(readError: unknown): Promise<LegacyShape> {
    const columns = new Set((await this.#db.schema.getColumns(this.#table)).map((c) => c.name.toLowerCase()));
    if (MORTAR_COLUMNS.every((c) => columns.has(c))) throw readError;
    const idColumn = columns.has("id") ? "id" : columns.has("migration_id") ? "migration_id" : undefined;
    if (!idColumn || !columns.has("migration") || !columns.has("batch")) {
      throw new ConfigError(
        `the table "${this.#table}" exists but is not a migrations table (columns: ${[...columns].join(", ")}; ` +
          `a tracking table has id, migration, batch). Set MIGRATIONS_TABLE (or migrations.table in the config) to another table name`,
      );
    }
    return { idColumn, columns };
  }

  /** Record a finished migration (inside its transaction where the dialect has one). */
  async log(migration: string, batch: number, checksum: string | null, durationMs: number): Promise<void> {
    const row = logRow(migration, batch, checksum, durationMs);
    await this.#db.executeInternal(this.#insertSql(row.map((_, i) => this.#db.grammar.parameter(i + 1))), row);
  }

  /**
   * `log` as SQL text with escaped literals, for a write that travels in the COMMIT's
   * own round trip (values cannot be bound there).
   */
  logStatement(migration: string, batch: number, checksum: string | null, durationMs: number): string {
    return this.#insertSql(logRow(migration, batch, checksum, durationMs).map((v) => this.#db.grammar.literal(v)));
  }

  /** `delete` as SQL text with an escaped literal (see `logStatement`). */
  deleteStatement(migration: string): string {
    return this.#deleteSql(this.#db.grammar.literal(migration));
  }

  /**
   * The bookkeeping that precedes each statement of a run that cannot roll back, as SQL
   * text with escaped literals (it may travel in the statement's own round trip, where
   * values cannot be bound): the first statement of a migration creates its row as
   * `running`, later ones extend the list of statements it started.
   */
  statementRecord(migration: string, progress: RunProgress, first: { batch: number; checksum: string | null } | "rollback" | undefined): string {
    const g = this.#db.grammar;
    const list = progressText(progress);
    if (first && first !== "rollback") {
      const columns = ["migration", "batch", "checksum", "status", "statements"];
      const values = [migration, first.batch, first.checksum, "running", list].map((v) => g.literal(v));
      return `insert into ${g.quoteIdentifier(this.#table)} (${g.columnList(columns)}) values (${values.join(", ")})`;
    }
    const assignments = [
      ...(first === "rollback" ? [["status", "running"] as const] : []),
      ["statements", list] as const,
    ].map(([column, value]) => `${g.quoteIdentifier(column)} = ${g.literal(value)}`);
    return `update ${g.quoteIdentifier(this.#table)} set ${assignments.join(", ")} where ${g.quoteIdentifier("migration")} = ${g.literal(migration)}`;
  }

  /**
   * Safe execution: the migration's transaction committed with steps still to run after
   * it (CONCURRENTLY builds, validations). Its row says `running` and lists the steps
   * and how many are done, so a killed run is resumed, not restarted.
   */
  async logWithSteps(migration: string, batch: number, checksum: string | null, durationMs: number, progress: RunProgress): Promise<void> {
    const row = [migration, batch, checksum, Math.round(durationMs), "running", progressText(progress)];
    await this.#db.executeInternal(this.#insertSql(row.map((_, i) => this.#db.grammar.parameter(i + 1)), STEPS_COLUMNS), row);
  }

  /** `logWithSteps` as SQL text with escaped literals, to travel with the COMMIT. */
  logWithStepsStatement(migration: string, batch: number, checksum: string | null, durationMs: number, progress: RunProgress): string {
    const row = [migration, batch, checksum, Math.round(durationMs), "running", progressText(progress)];
    return this.#insertSql(row.map((v) => this.#db.grammar.literal(v)), STEPS_COLUMNS);
  }

  /**
   * A safe rollback committed with steps still to run (DROP INDEX CONCURRENTLY): its row
   * stays, `running`, until they are done, then it is deleted. As SQL text with escaped
   * literals when it travels with the COMMIT.
   */
  markStepsStatement(migration: string, progress: RunProgress): string {
    const g = this.#db.grammar;
    const assignments = [
      ["status", "running"],
      ["statements", progressText(progress)],
    ].map(([column, value]) => `${g.quoteIdentifier(column!)} = ${g.literal(value!)}`);
    return `update ${g.quoteIdentifier(this.#table)} set ${assignments.join(", ")} where ${g.quoteIdentifier("migration")} = ${g.literal(migration)}`;
  }

  async markSteps(migration: string, progress: RunProgress): Promise<void> {
    await this.#update(migration, { status: "running", statements: progressText(progress) });
  }

  /** A safe run's steps after the commit: how far it got, and why it stopped. */
  async recordSteps(migration: string, progress: RunProgress, error?: string): Promise<void> {
    await this.#update(migration, { status: error === undefined ? "running" : "failed", statements: progressText(progress), error: error ?? null });
  }

  async finish(migration: string, durationMs: number): Promise<void> {
    await this.#update(migration, { status: "ran", duration_ms: Math.round(durationMs), statements: null, error: null });
  }

  /**
   * Record a run that failed part-way, on the row this run wrote (found by its token):
   * never on a row another run wrote. False when this run owns no row.
   */
  async fail(migration: string, error: string, progress: RunProgress): Promise<boolean> {
    return this.#updateOwn(migration, progress.token, { status: "failed", error, statements: progressText(progress) });
  }

  /**
   * A failed run that wrote no row yet (its tracking table is on another connection, so
   * rows are written after each statement): insert one, so the failure is never
   * forgotten. A row already there belongs to another run and is left alone.
   */
  async insertFailed(migration: string, batch: number, checksum: string | null, error: string, progress: RunProgress): Promise<void> {
    const g = this.#db.grammar;
    const columns = ["migration", "batch", "checksum", "status", "statements", "error"];
    await this.#db.executeInternal(
      `insert into ${g.quoteIdentifier(this.#table)} (${g.columnList(columns)}) values (${columns.map((_, i) => g.parameter(i + 1)).join(", ")})`,
      [migration, batch, checksum, "failed", progressText(progress), error],
    );
  }

  /** A rollback that failed before its first record (tracking table on another connection). */
  async failRollback(migration: string, error: string, progress: RunProgress): Promise<void> {
    await this.#update(migration, { status: "failed", error, statements: progressText(progress) });
  }

  /** Undo this run's own `running` row when not one statement started (`down`: back to ran). */
  async forgetOwn(migration: string, token: string, direction: "up" | "down"): Promise<void> {
    if (direction === "down") {
      await this.#updateOwn(migration, token, { status: "ran", error: null, statements: null });
      return;
    }
    const g = this.#db.grammar;
    await this.#db.executeInternal(
      `${this.#deleteSql(g.parameter(1))} and ${g.quoteIdentifier("statements")} like ${g.parameter(2)}`,
      [migration, tokenPattern(token)],
    );
  }

  /** Settle a failed migration as applied (its effects are in place). */
  async markApplied(migration: string): Promise<void> {
    await this.#update(migration, { status: "ran", error: null, statements: null });
  }

  /** Record `checksum` as the migration's: `migrate:resolve --applied` accepting its file as it is now. */
  async recordChecksum(migration: string, checksum: string): Promise<void> {
    await this.#update(migration, { checksum });
  }

  async delete(migration: string): Promise<void> {
    await this.#db.executeInternal(this.#deleteSql(this.#db.grammar.parameter(1)), [migration]);
  }

  /** The finished-migration insert, with `values` already rendered (placeholders or literals). */
  #insertSql(values: readonly string[], columns: readonly string[] = LOG_COLUMNS): string {
    const g = this.#db.grammar;
    return `insert into ${g.quoteIdentifier(this.#table)} (${g.columnList(columns)}) values (${values.join(", ")})`;
  }

  #deleteSql(migration: string): string {
    const g = this.#db.grammar;
    return `delete from ${g.quoteIdentifier(this.#table)} where ${g.quoteIdentifier("migration")} = ${migration}`;
  }

  /** `#update` limited to the row whose statements carry this run's token. */
  async #updateOwn(migration: string, token: string, values: Record<string, unknown>): Promise<boolean> {
    const g = this.#db.grammar;
    const entries = Object.entries(values);
    const assignments = entries.map(([column], i) => `${g.quoteIdentifier(column)} = ${g.parameter(i + 1)}`).join(", ");
    const n = entries.length;
    const result = await this.#db.executeInternal(
      `update ${g.quoteIdentifier(this.#table)} set ${assignments} where ${g.quoteIdentifier("migration")} = ${g.parameter(n + 1)} and ${g.quoteIdentifier("statements")} like ${g.parameter(n + 2)}`,
      [...entries.map(([, value]) => value), migration, tokenPattern(token)],
    );
    return result.affectedRows > 0;
  }

  async #update(migration: string, values: Record<string, unknown>): Promise<void> {
    const g = this.#db.grammar;
    const entries = Object.entries(values);
    const assignments = entries.map(([column], i) => `${g.quoteIdentifier(column)} = ${g.parameter(i + 1)}`).join(", ");
    await this.#db.executeInternal(
      `update ${g.quoteIdentifier(this.#table)} set ${assignments} where ${g.quoteIdentifier("migration")} = ${g.parameter(entries.length + 1)}`,
      [...entries.map(([, value]) => value), migration],
    );
  }
}

/** The columns a finished migration's row is written with, and its values in that order. */
const LOG_COLUMNS = ["migration", "batch", "checksum", "duration_ms", "status"];
const STEPS_COLUMNS = [...LOG_COLUMNS, "statements"];

function logRow(migration: string, batch: number, checksum: string | null, durationMs: number): (string | number | null)[] {
  return [migration, batch, checksum, Math.round(durationMs), "ran"];
}

/**
 * What an unfinished run has done so far, as its row's `statements` column holds it:
 * the statements that completed, the one in flight or failed (it may have partly run:
 * a multi-table DROP, a multi-statement text), and a random token naming the run, so a
 * run only ever settles or deletes the row it wrote itself.
 */
export interface RunProgress {
  readonly token: string;
  readonly ran: readonly string[];
  readonly partial?: string;
  /** Safe execution: the steps after the migration's commit, and how many of them are done. */
  readonly steps?: readonly SafeStep[];
  readonly done?: number;
  /** The steps finish a rollback: the row goes when they are done. */
  readonly rollback?: boolean;
}

function progressText({ token, ran, partial, steps, done, rollback }: RunProgress): string {
  return JSON.stringify({
    run: token,
    ran,
    ...(partial !== undefined ? { partial } : {}),
    ...(steps ? { steps, done: done ?? 0, ...(rollback ? { rollback } : {}) } : {}),
  });
}

/** The token is hex: no LIKE wildcard or escape character can appear in the pattern. */
function tokenPattern(token: string): string {
  return `%"run":"${token}"%`;
}

/** Rows written before run tokens existed hold a bare JSON list of statements. */
function parseProgress(value: unknown): Pick<RanMigration, "statements" | "partialStatement" | "safeSteps"> {
  const none = { statements: [], partialStatement: null };
  if (typeof value !== "string" || !value) return none;
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed)) return { statements: parsed.map(String), partialStatement: null };
    if (typeof parsed !== "object" || parsed === null) return none;
    const { ran, partial, steps, done, run, rollback } = parsed as { ran?: unknown; partial?: unknown; steps?: unknown; done?: unknown; run?: unknown; rollback?: unknown };
    const safeSteps = Array.isArray(steps)
      ? { steps: steps as SafeStep[], done: Number(done ?? 0), token: String(run ?? ""), ...(rollback === true ? { rollback: true } : {}) }
      : undefined;
    return {
      statements: Array.isArray(ran) ? ran.map(String) : [],
      partialStatement: typeof partial === "string" ? partial : null,
      ...(safeSteps ? { safeSteps } : {}),
    };
  } catch {
    return none;
  }
}
