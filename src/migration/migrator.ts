import { EventEmitter } from "node:events";
import type { Database } from "../dialect/database.js";
import {
  ConfigError,
  IrreversibleMigrationError,
  LockTimeoutError,
  MigrationFailedError,
  MortarError,
  QueryError,
  ResolveRefusedError,
  UnsettledMigrationError,
} from "../errors.js";
import { discoverMigrations } from "./file-source.js";
import { readFileSync } from "node:fs";
import { currentChecksums, type ChecksumOptions } from "./checksum-cache.js";
import { checksumOfSource, matchesRecorded } from "./checksum.js";
import { loadMigrations, type LoadedMigration } from "./loader.js";
import { lockName } from "./lock-name.js";
import { acquireMigrationLock } from "../dialect/lease/lock-selection.js";
import type { MigrationClass } from "./migration.js";
import type { MigrationFile } from "./migration-file.js";
import {
  planMigrate,
  planRollback,
  planStatus,
  unsettled,
  validate,
  type RanMigration,
  type Step,
  type StatusRow,
  type ValidationProblem,
} from "./plan.js";
import { MigrationRepository } from "./repository.js";
import { loadInitialSchema, squashedIntoDump } from "./initial-schema.js";
import { planStepBodies, type StepBody } from "./reversible/step-bodies.js";
import { runStep, type StepContext, type StepOptions } from "./step-runner.js";
import { displayPath } from "../util/display-path.js";
import { toRunError } from "./run-error.js";
import {
  DEFAULT_LOCK_TIMEOUT_MS,
  type MigrateOptions,
  type MigrationOutcome,
  type MigratorEvents,
  type MigratorOptions,
  type ResolveResult,
  type RollbackOptions,
  type RunResult,
} from "./run-result.js";
import type { RetryEvent } from "./safe/lock-retries.js";
import { hasStepsLeft, resumeSteps } from "./safe/resume.js";
import { safeSettings, type SafeSettings } from "./safe/safe-options.js";

export * from "./run-result.js";

/**
 * Plans and runs migrations. It returns results and emits events; it never prints.
 * Every run that changes the database holds the database's migration lock from before
 * it reads the tracking table until it is done, so concurrent deploys queue up and the
 * later ones find nothing left to do.
 *
 * Errors: the run methods (`migrate`, `rollback`, `reset`, `refresh`, `fresh`) never
 * throw; whatever stops a run is `RunResult.error`, with a typed `code` and the `stage` it
 * stopped at. The other methods (`install`, `status`, `validate`, `unsettled`, `resolve`)
 * throw a `MortarError` subclass.
 *
 * @example
 * const migrator = new Migrator(db, { path: "databases/migrations" });
 * const result = await migrator.migrate();
 * if (result.error) console.error(result.error.message);
 */
export class Migrator extends EventEmitter<MigratorEvents> {
  readonly #db: Database;
  readonly #options: MigratorOptions;
  readonly #repository: MigrationRepository;
  readonly #safe: SafeSettings | undefined;
  #lockDepth = 0;

  /** @throws ConfigError when the safe execution settings are out of range. */
  constructor(db: Database, options: MigratorOptions) {
    super();
    this.#db = db;
    this.#options = options;
    this.#safe = safeSettings(options.safe);
    this.#repository = new MigrationRepository(db, options.table ?? "migrations");
  }

  get repository(): MigrationRepository {
    return this.#repository;
  }

  /** Create the tracking table if needed. */
  async install(): Promise<void> {
    await this.#exclusive(false, async () => {
      await this.#repository.ensureTable();
      // A Laravel or Masonite table of that name is taken over here too.
      await this.#repository.getRan({ takeOver: true });
    });
  }

  /** Run every pending migration (or the one named) in a new batch. */
  async migrate(options: MigrateOptions = {}): Promise<RunResult> {
    return this.#reported(() => this.#migrate(options));
  }

  /**
   * `undone` names migrations a pretended rollback or drop has just "undone": pretending
   * changed nothing, so the plan must treat them as pending itself.
   */
  async #migrate(options: MigrateOptions, undone?: (ran: RanMigration[]) => RanMigration[]): Promise<RunResult> {
    const pretend = options.pretend ?? false;
    return this.#exclusive(pretend, async () => {
      const { files, ignored } = await discoverMigrations(this.#options.path);
      const initial = this.#options.initialSchema && !undone ? await loadInitialSchema(this.#db, this.#options.initialSchema, pretend) : undefined;
      if (initial && !pretend) this.emit("schema:loaded", { path: initial.loaded.path });
      const settled = initial?.pretendRan ?? (await this.#settledRan(pretend));
      const ran = undone ? undone(settled) : settled;
      const nextBatch = ran.reduce((max, r) => Math.max(max, r.batch), 0) + 1;
      const steps = planMigrate(files, ran, nextBatch, options);
      const warnings = [...ignoredWarnings(ignored), ...(initial?.pretendRan ? [] : await this.#driftWarnings(files, ran))];
      const result = await this.#execute(steps, warnings, pretend, () => this.#repository.ensureTable());
      return initial ? { ...result, loadedSchema: initial.loaded } : result;
    });
  }

  /** Undo the last batch, the last `step` migrations, batch `batch`, or one named migration. */
  async rollback(options: RollbackOptions = {}): Promise<RunResult> {
    return this.#reported(() => this.#rollback(options, options.pretend ?? false));
  }

  /** Undo every applied migration. */
  async reset(options: { pretend?: boolean } = {}): Promise<RunResult> {
    return this.#reported(() => this.#rollback({ all: true }, options.pretend ?? false));
  }

  /** Reset (or roll back `step` migrations) and migrate again. */
  async refresh(options: { step?: number; pretend?: boolean } = {}): Promise<RunResult> {
    return this.#reported(() => this.#exclusive(options.pretend ?? false, async () => {
      const down = options.step !== undefined
        ? await this.rollback({ step: options.step, pretend: options.pretend })
        : await this.reset({ pretend: options.pretend });
      if (down.error) return down;
      const rolledBack = new Set(down.migrations.map((m) => m.name));
      const up = options.pretend
        ? await this.#migrate({ pretend: true }, (ran) => ran.filter((r) => !rolledBack.has(r.migration)))
        : await this.migrate();
      // Refused before migrating again, but after the rollbacks: not a run that changed nothing.
      const error = up.error?.stage === "start" && down.migrations.length > 0 ? { ...up.error, stage: "finish" as const } : up.error;
      // The rollbacks' own warnings (a down() using after() on PostgreSQL) are kept; shared ones once.
      const warnings = [...down.warnings.filter((w) => !up.warnings.includes(w)), ...up.warnings];
      return { ...up, migrations: [...down.migrations, ...up.migrations], ...(error ? { error } : {}), warnings };
    }));
  }

  /** Drop every table and view, then migrate from scratch. */
  async fresh(options: { pretend?: boolean } = {}): Promise<RunResult> {
    const pretend = options.pretend ?? false;
    return this.#reported(() => this.#exclusive(pretend, async () => {
      // A bad folder or a file that does not load must fail before anything is dropped.
      const { files } = await discoverMigrations(this.#options.path);
      try {
        await this.#load(files);
      } catch (error) {
        return { batch: null, migrations: [], error: toRunError(error), warnings: [] };
      }
      if (pretend) {
        const { statements } = await this.#db.pretend(() => this.#db.schema.dropAllTablesAndViews());
        const up = await this.#migrate({ pretend: true }, () => []);
        const dropped: MigrationOutcome = { name: "(drop all tables)", status: "pretend", durationMs: 0, statements: statements.map((s) => s.sql) };
        return { ...up, migrations: [dropped, ...up.migrations] };
      }
      await this.#db.schema.dropAllTablesAndViews();
      return this.migrate();
    }));
  }

  /**
   * The run methods' contract: what stops a run is returned as `error`, never thrown.
   * Whether a migration had started tells `start` (nothing changed) from `finish`.
   */
  async #reported(run: () => Promise<RunResult>): Promise<RunResult> {
    let started = false;
    const onStart = () => {
      started = true;
    };
    this.on("migration:start", onStart);
    try {
      return await run();
    } catch (error) {
      return { batch: null, migrations: [], error: toRunError(error, undefined, started ? "finish" : "start"), warnings: [] };
    } finally {
      this.off("migration:start", onStart);
    }
  }

  /** Every migration from files and the tracking table, with its state. Imports no migration file. */
  async status(): Promise<{ migrations: StatusRow[]; warnings: string[] }> {
    return this.#status({});
  }

  /**
   * What `migrate:validate` fails on: modified, missing or unfinished migrations and
   * pending ones that sort before an applied one. Empty when all is well. Unlike
   * `status()`, every applied file is read and compared by content: a CI gate must not
   * trust modification times, which checkouts, copies and `touch` all rewrite.
   */
  async validate(): Promise<ValidationProblem[]> {
    return validate((await this.#status({ verify: true })).migrations);
  }

  async #status(options: ChecksumOptions): Promise<{ migrations: StatusRow[]; warnings: string[] }> {
    const { files, ignored } = await discoverMigrations(this.#options.path);
    const ran = await this.#repository.getRan();
    const rows = this.#withoutSquashed(planStatus(files, ran, await this.#checksums(files, ran, options)));
    return { migrations: rows, warnings: ignoredWarnings(ignored) };
  }

  /** The unfinished runs (MySQL partial failures, killed non-transactional runs) with what they ran. */
  async unsettled(): Promise<RanMigration[]> {
    return unsettled(await this.#repository.getRan());
  }

  /**
   * Settle a migration by hand.
   * - `applied` on a Failed or interrupted run: its effects are in place, record it as ran.
   * - `applied` on a migration that ran normally: accept its file as it is now (an edit
   *   that needs no re-run, a file recorded by an earlier version): its current checksum is
   *   recorded, so it is Ran again and `migrate:validate` passes.
   * - `rolled-back` on a Failed or interrupted run: its effects are undone, forget it.
   *   Refused on a migration that ran normally: forgetting it would leave its tables behind
   *   while the history says they are gone; `rollback({ migration: name })` runs its down().
   *
   * @example await migrator.resolve("2026_01_01_000000_create_users_table", "applied"); // "accepted"
   */
  async resolve(name: string, outcome: "applied" | "rolled-back"): Promise<ResolveResult> {
    return this.#exclusive(false, async () => {
      const row = (await this.#repository.getRan()).find((r) => r.migration === name.replace(/\.(ts|mts|cts|js|mjs|cjs)$/, ""));
      if (!row) throw new ResolveRefusedError(name, outcome, "untracked");
      const finished = row.status === undefined || row.status === "ran";
      if (outcome === "rolled-back") {
        if (finished) throw new ResolveRefusedError(row.migration, outcome, "ran-normally", row.batch);
        await this.#repository.delete(row.migration);
        return "forgotten";
      }
      if (!finished) {
        await this.#repository.markApplied(row.migration);
        return "settled";
      }
      const file = (await discoverMigrations(this.#options.path)).files.find((f) => f.name === row.migration);
      if (!file) throw new ResolveRefusedError(row.migration, outcome, "file-missing");
      const source = readFileSync(file.path, "utf8");
      const checksum = checksumOfSource(source, file.path);
      if (row.checksum === checksum) return "unchanged";
      // Recorded as the file is now even when it matched already (an old-format checksum,
      // the `.ts` of a now compiled `.js`): later comparisons then need no transform.
      await this.#repository.recordChecksum(row.migration, checksum);
      return row.checksum !== null && matchesRecorded(row.checksum, source, file.path) ? "unchanged" : "accepted";
    });
  }

  async #rollback(options: RollbackOptions & { all?: boolean }, pretend: boolean): Promise<RunResult> {
    return this.#exclusive(pretend, async () => {
      const { files, ignored } = await discoverMigrations(this.#options.path);
      const steps = planRollback(files, await this.#settledRan(pretend), options);
      return this.#execute(steps, ignoredWarnings(ignored), pretend);
    });
  }

  /**
   * The tracking rows, refusing to go on while a run that could not roll back is
   * unsettled. Under the lock (not pretending) a Laravel or Masonite table is taken over.
   */
  async #settledRan(pretend: boolean): Promise<RanMigration[]> {
    let ran = await this.#repository.getRan({ takeOver: !pretend });
    if (this.#safe && !pretend && ran.some(hasStepsLeft)) {
      // A safe run stopped between its steps: finish them before anything else runs.
      await resumeSteps(this.#db, this.#repository, ran, this.#safe, (event, payload) => this.emit(event, payload as never));
      ran = await this.#repository.getRan();
    }
    const open = unsettled(ran);
    if (open.length > 0) {
      const first = open[0]!;
      const shown = first.safeSteps ? first.safeSteps.steps.slice(first.safeSteps.done).flatMap((step) => step.statements) : first.statements;
      const statements = shown?.length ? shown.map((s) => `\n    ${s}`).join("") : " none";
      // A failed run's list is what succeeded, as is a newer row's; a row written before
      // the in-flight statement was kept apart lists what it started.
      const listed = first.safeSteps
        ? "it committed; steps left after the commit"
        : first.status === "failed" || first.partialStatement
          ? "statements that ran"
          : "statements it started (the last may not have finished)";
      const partial = first.partialStatement ? `\n  may have partly run: ${first.partialStatement}` : "";
      const steps = first.safeSteps ? `\n  safe execution stopped at step ${first.safeSteps.done + 1} of ${first.safeSteps.steps.length}; a safe run (--safe) continues from there` : "";
      throw new UnsettledMigrationError(
        first.migration,
        `${first.migration} did not finish (${first.status}${first.error ? `: ${first.error}` : ""}); ${listed}:${statements}${partial}${steps}`,
        open.slice(1).map((r) => r.migration),
      );
    }
    return ran;
  }

  /**
   * Hold the database's migration lock around `fn` (not when pretending: nothing
   * changes). Re-entrant, so refresh and fresh can call migrate and reset inside.
   */
  async #exclusive<T>(pretend: boolean, fn: () => Promise<T>): Promise<T> {
    if (pretend || this.#lockDepth > 0) return this.#nested(fn);
    const db = this.#db;
    const timeoutMs = this.#options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    const scope = this.#options.lockScope;
    const name = lockName(`${db.config.database ?? db.config.filename ?? ""}${scope ? `/${scope}` : ""}`, this.#repository.table);
    // The session lock, or a lease row where session locks do not hold (clusters, poolers).
    const lock = await acquireMigrationLock(db, name, this.#repository.table, timeoutMs);
    if (!lock) throw new LockTimeoutError(describeDatabase(db), timeoutMs);
    try {
      return await this.#nested(fn);
    } finally {
      await lock.release().catch(() => undefined);
    }
  }

  #load(files: readonly MigrationFile[]): Promise<LoadedMigration[]> {
    return this.#options.migrationCache ? this.#options.migrationCache.load(files) : loadMigrations(files);
  }

  async #nested<T>(fn: () => Promise<T>): Promise<T> {
    this.#lockDepth++;
    try {
      return await fn();
    } finally {
      this.#lockDepth--;
    }
  }

  /** Load every step's file, then (`prepare`, e.g. the tracking table) run them in order. */
  async #execute(steps: readonly Step[], warnings: string[], pretend: boolean, prepare?: () => Promise<void>): Promise<RunResult> {
    const migrations: MigrationOutcome[] = [];
    const batch = steps[0]?.batch ?? null;
    let loaded: LoadedMigration[];
    let classes: MigrationClass[];
    let bodies: StepBody[];
    try {
      // Load every file first: a file that cannot be imported stops the run before anything changes.
      loaded = await this.#load(steps.map((s) => s.file));
      classes = loaded.map((l) => l.migrationClass);
      // Also derives the rollback of every change() migration: an irreversible one stops the run here.
      bodies = await planStepBodies(steps, classes, (c) => (c.connection ? this.#connectionFor(c.connection) : Promise.resolve(this.#db)));
    } catch (error) {
      // Deriving a change()'s rollback names its migration; nothing has run yet either way.
      const named = error instanceof IrreversibleMigrationError || error instanceof MigrationFailedError ? error.migration : undefined;
      const step = named === undefined ? undefined : steps.find((s) => s.name === named);
      return { batch: null, migrations, error: toRunError(error, step, step ? "start" : "load"), warnings };
    }
    if (!pretend && prepare) await prepare();
    const context = { db: this.#db, repository: this.#repository, connectionFor: (name: string) => this.#connectionFor(name) };
    const safe = this.#safe
      ? { settings: this.#safe, onRetry: (name: string, event: RetryEvent) => this.emit("migration:retry", { name, direction: steps.find((s) => s.name === name)?.direction ?? "up", ...event }) }
      : undefined;
    if (pretend) return this.#runSteps(steps, loaded, bodies, context, { pretend, safe }, batch, warnings);
    // The dialect's strategy decides whether the batch shares one transaction (SQLite).
    return this.#db.dialectFactory.runStrategy.runBatch(this.#db, classes, (sharedTransaction) =>
      this.#runSteps(steps, loaded, bodies, context, { pretend, sharedTransaction, safe }, batch, warnings),
    );
  }

  async #runSteps(
    steps: readonly Step[],
    loaded: readonly LoadedMigration[],
    bodies: readonly StepBody[],
    context: StepContext,
    options: StepOptions,
    batch: number | null,
    warnings: string[],
  ): Promise<RunResult> {
    const pretend = options.pretend;
    const migrations: MigrationOutcome[] = [];
    for (const [i, step] of steps.entries()) {
      const event = { name: step.name, direction: step.direction } as const;
      this.emit("migration:start", event);
      const started = performance.now();
      try {
        const checksum = step.direction === "up" && !pretend ? loaded[i]!.checksum : null;
        const onWarning = (message: string) => warnings.push(`${step.name}: ${message}`);
        const statements = await runStep(context, step, loaded[i]!.migrationClass, checksum, { ...options, onWarning }, bodies[i]);
        const durationMs = Math.round(performance.now() - started);
        this.emit("migration:end", { ...event, durationMs });
        migrations.push({
          name: step.name,
          status: pretend ? "pretend" : step.direction === "up" ? "ran" : "rolled back",
          durationMs,
          ...(pretend ? { statements } : {}),
        });
      } catch (cause) {
        const durationMs = Math.round(performance.now() - started);
        const error =
          cause instanceof MortarError && !(cause instanceof QueryError) && cause.code !== "INVALID_SCHEMA" && cause.code !== "UNSUPPORTED_OPERATION"
            ? cause
            : new MigrationFailedError(step.name, step.direction, cause);
        this.emit("migration:error", { ...event, error, durationMs });
        migrations.push({ name: step.name, status: "failed", durationMs });
        return { batch, migrations, error: toRunError(error, step), warnings };
      }
    }
    return { batch, migrations, warnings };
  }

  /** Modified and missing applied migrations: reported by `migrate`, never a reason to stop it. */
  async #driftWarnings(files: readonly MigrationFile[], ran: readonly RanMigration[]): Promise<string[]> {
    const rows = this.#withoutSquashed(planStatus(files, ran, await this.#checksums(files, ran)));
    return rows.flatMap((row) => {
      if (row.status === "modified") return [`${row.name} changed since it ran (batch ${row.batch}); its changes are not re-applied`];
      if (row.status === "missing") return [`${row.name} ran (batch ${row.batch}) but its file is missing`];
      return [];
    });
  }

  /** Rows of migrations whose files `schema:dump --prune` deleted: in the dump, not missing. */
  #withoutSquashed(rows: StatusRow[]): StatusRow[] {
    if (!rows.some((row) => row.status === "missing")) return rows;
    const squashed = squashedIntoDump(this.#options.initialSchema);
    return rows.filter((row) => !(row.status === "missing" && squashed.has(row.name)));
  }

  /** Current checksums of the files of applied migrations (only those can be modified). */
  async #checksums(files: readonly MigrationFile[], ran: readonly RanMigration[], options: ChecksumOptions = {}): Promise<Map<string, string>> {
    const recorded = new Map(ran.map((r) => [r.migration, r.checksum]));
    return currentChecksums(this.#options.path, files.filter((f) => recorded.has(f.name)), recorded, options);
  }

  async #connectionFor(name: string): Promise<Database> {
    if (!this.#options.resolveConnection) {
      throw new ConfigError(`a migration asks for connection "${name}" but no other connections are configured`);
    }
    return this.#options.resolveConnection(name);
  }
}

function ignoredWarnings(ignored: readonly string[]): string[] {
  return ignored.map((file) => `ignored ${file}: the name does not match YYYY_MM_DD_HHMMSS_name.ts`);
}

function describeDatabase(db: Database): string {
  const { driver, host, port, database } = db.config;
  return driver === "sqlite" ? `${database}` : `${driver} ${host ?? "localhost"}${port ? `:${port}` : ""}/${database ?? ""}`;
}

