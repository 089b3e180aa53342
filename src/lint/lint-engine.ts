import type { Database } from "../dialect/database.js";
import { MigrationFailedError, MigrationFileError } from "../errors.js";
import { discoverMigrations } from "../migration/file-source.js";
import { loadMigrations } from "../migration/loader.js";
import { bindMigration, type MigrationClass } from "../migration/migration.js";
import type { MigrationFile } from "../migration/migration-file.js";
import { MigrationRepository } from "../migration/repository.js";
import { recordingDatabase } from "../migration/reversible/recording-database.js";
import type { DialectName } from "../schema/live-schema.js";
import { displayPath } from "../util/display-path.js";
import { describeOperation, tablesOf } from "./describe-operation.js";
import { lintContext } from "./lint-context.js";
import { LintRecording, type RecordedOperation } from "./lint-recording.js";
import type { Finding, LintRule, RuleId } from "./lint-rule.js";
import { LiveFacts, type LiveTableFacts } from "./live-facts.js";
import { offlineDatabase } from "./offline-database.js";
import { DeclaredIntrospector } from "./declared-introspector.js";
import { RULES } from "./rules/index.js";
import { suppressedRules } from "./suppression.js";
import { TableHistory } from "./table-history.js";

export interface LintOptions {
  /** Folder of the migration files (sub-folders included). */
  readonly path: string;
  /**
   * The live database: its tracking table tells pending from ran, and its schema gives
   * the facts (exists, rows, columns, server version). Absent: offline, from the files alone.
   */
  readonly db?: Database;
  /** Offline only (required then): the dialect the migrations are written for. */
  readonly dialect?: DialectName;
  /** Tracking table name. Default `migrations`. */
  readonly table?: string;
  /** Lint every migration, not only the pending ones. */
  readonly all?: boolean;
  /** The rules to apply. Default every rule of `mortar lint` (RULES). */
  readonly rules?: readonly LintRule[];
  /** Opens the connection a migration's `static connection` names (live only; default: `db`). */
  readonly resolveConnection?: (name: string) => Promise<Database>;
}

/** A rule that could not decide (offline, a fact it lacks): reported as a note, never a finding. */
export interface UndecidedOutcome {
  readonly rule: RuleId;
  readonly migration: string;
  readonly operation: string;
  readonly dialect: DialectName;
  readonly reason: string;
}

export interface LintResult {
  readonly dialect: DialectName;
  readonly offline: boolean;
  /** The migrations linted, in order, with their files (absolute paths). */
  readonly migrations: readonly { readonly name: string; readonly path: string }[];
  /** Findings no `static safe` or `safetyAssured` suppressed. */
  readonly findings: readonly Finding[];
  readonly undecided: readonly UndecidedOutcome[];
  /** How many findings the migrations suppressed (left out of `findings`). */
  readonly suppressed: number;
  /** Ignored files, as the other commands report them. */
  readonly warnings: readonly string[];
  /** What the reader should know about how this lint was done (offline: no pending/ran distinction). */
  readonly notes: readonly string[];
  /** The rules applied (SARIF lists them). */
  readonly rules: readonly LintRule[];
}

/** Told in the output of an offline lint of every file. */
export const OFFLINE_ALL_NOTE =
  "offline: without a connection the tracking table cannot be read, so every migration file is linted as if pending; busy tables are those an earlier file created";

/**
 * `mortar lint`: record what each pending migration (every one with `all`, every one
 * offline) would do, without sending anything to the database, and ask every rule of
 * the dialect about every operation. Operations see those before them: a table created
 * earlier in the same migration is never busy.
 *
 * Reads a migration makes while recorded (`this.schema.hasTable`, `getColumns` …) see the
 * database as the migrations before it would leave it: tables the files created or
 * dropped so far (earlier pending files and earlier calls of the same migration), over
 * the live database (offline: over nothing). `this.db.query` answers no rows and
 * `execute` no affected rows; `this.db.read` reads the live database (offline: no rows).
 *
 * Throws: ConfigError (folder), MigrationFileError (a file that cannot be loaded),
 * UsageError (an unknown rule id in `static safe`), MigrationFailedError (up() threw
 * while recorded), QueryError (a live read failed).
 */
export async function lint(options: LintOptions): Promise<LintResult> {
  const db = options.db;
  const offline = db === undefined;
  const dialect = db?.dialect ?? options.dialect;
  if (dialect === undefined) throw new TypeError("lint(): pass `db`, or `dialect` to lint offline");
  const rules = (options.rules ?? RULES).filter((rule) => rule.dialects.includes(dialect));
  const { files, ignored } = await discoverMigrations(options.path);
  const ran = db ? new Set((await new MigrationRepository(db, options.table ?? "migrations").getRan()).map((r) => r.migration)) : new Set<string>();
  const selected = options.all || offline ? files : files.filter((f) => !ran.has(f.name));
  const classes = (await loadMigrations(selected)).map((l) => l.migrationClass);
  // Every file's `static safe` is checked before any is linted: a typo stops the lint.
  const suppressions = selected.map((file, i) => suppressedRules(classes[i]!, displayPath(file.path)));

  const findings: Finding[] = [];
  const undecided: UndecidedOutcome[] = [];
  let suppressed = 0;
  // `history` is what the rules see (applied operation by operation after they are asked);
  // `declared` is what reads answer from while a migration is recorded (applied at once).
  const history = new TableHistory();
  const declared = new TableHistory();
  const offlineDb = offline ? offlineDatabase(dialect) : undefined;
  const liveFacts = new Map<Database, LiveFacts>();
  const versions = new Map<Database, string | undefined>();
  for (const [i, file] of selected.entries()) {
    const migrationClass = classes[i]!;
    const hasRun = ran.has(file.name);
    const connection = db ? await connectionOf(migrationClass, db, options.resolveConnection) : offlineDb!;
    const operations = await record(file, migrationClass, connection, declared, offline, hasRun);
    let facts: LiveFacts | undefined;
    const live = new Map<string, LiveTableFacts>();
    if (!offline) {
      facts = liveFacts.get(connection) ?? new LiveFacts(connection);
      liveFacts.set(connection, facts);
      if (!versions.has(connection)) versions.set(connection, await facts.serverVersion());
    }
    const plain = operations.map((o) => o.operation);
    for (const recorded of operations) {
      const operation = recorded.operation;
      if (facts) {
        for (const table of tablesOf(operation)) {
          const name = history.liveName(table);
          if (name !== undefined) live.set(name, await facts.table(name));
        }
      }
      const context = lintContext({
        dialect,
        offline,
        serverVersion: versions.get(connection),
        operations: plain,
        transactional: migrationClass.transaction !== false,
        migration: file.name,
        history,
        live,
      });
      for (const rule of rules) {
        for (const outcome of rule.check(operation, context)) {
          if (recorded.assured || suppressions[i]!.has(rule.id)) {
            if (outcome.kind === "finding") suppressed++;
            continue;
          }
          const where = { rule: rule.id, migration: file.name, operation: describeOperation(operation), dialect };
          if (outcome.kind === "finding") findings.push({ ...where, message: outcome.message, fix: outcome.fix });
          else undecided.push({ ...where, reason: outcome.reason });
        }
      }
      if (operation.kind === "schema") history.apply(operation.command, file.name, hasRun);
    }
  }
  return {
    dialect,
    offline,
    migrations: selected.map((f) => ({ name: f.name, path: f.path })),
    findings,
    undecided,
    suppressed,
    warnings: ignored.map((f) => `ignored ${f}: the name does not match YYYY_MM_DD_HHMMSS_name.ts`),
    notes: offline && !options.all ? [OFFLINE_ALL_NOTE] : [],
    rules,
  };
}

async function connectionOf(migrationClass: MigrationClass, db: Database, resolve: LintOptions["resolveConnection"]): Promise<Database> {
  return migrationClass.connection && resolve ? resolve(migrationClass.connection) : db;
}

/**
 * Run the migration's up() (or change()) against a recording connection. Its reads
 * answer from `declared`, which follows what it records as it goes, over the live
 * database (none offline).
 */
async function record(
  file: MigrationFile,
  migrationClass: MigrationClass,
  db: Database,
  declared: TableHistory,
  offline: boolean,
  hasRun: boolean,
): Promise<RecordedOperation[]> {
  const shown = displayPath(file.path);
  const has = (method: "up" | "change") => typeof migrationClass.prototype[method] === "function";
  if (!has("up") && !has("change")) throw new MigrationFileError(shown, "has no up() method (nor change()), so there is nothing to lint");
  if (has("change") && has("up")) {
    throw new MigrationFileError(shown, "defines change() and also up(): write either change() alone or up() with down()");
  }
  const recording = new LintRecording((command) => declared.apply(command, file.name, hasRun));
  const introspector = new DeclaredIntrospector(declared, offline ? undefined : db.introspector);
  const migration = bindMigration(new migrationClass(), recordingDatabase(db, recording, { introspector }));
  try {
    await (has("up") ? migration.up!() : migration.change!());
  } catch (error) {
    throw new MigrationFailedError(file.name, "up", error);
  }
  return recording.operations;
}
