/**
 * Typed errors with a stable `code`, so library users can `switch (err.code)` and the
 * command line can map each family to an exit code without parsing messages.
 */
export type MortarErrorCode =
  | "UNSUPPORTED_OPERATION"
  | "QUERY_FAILED"
  | "INVALID_SCHEMA"
  | "MIGRATION_FILE"
  | "MIGRATION_FAILED"
  | "MIGRATION_LOCK"
  | "MIGRATION_STATE"
  | "SEEDER_FILE"
  | "SEEDER_FAILED"
  | "IRREVERSIBLE_MIGRATION"
  | "CONFIG"
  | "CONNECTION_FAILED"
  | "DRIVER_MISSING"
  | "USAGE";

export class MortarError extends Error {
  readonly code: MortarErrorCode;
  constructor(code: MortarErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** An operation the dialect cannot perform. Thrown instead of skipping it quietly. */
export class UnsupportedOperationError extends MortarError {
  constructor(
    readonly dialect: string,
    readonly operation: string,
    hint?: string,
  ) {
    super("UNSUPPORTED_OPERATION", `${dialect} cannot ${operation}${hint ? `: ${hint}` : ""}`);
  }
}

/** A schema definition that no dialect could compile (empty identifier, unknown type …). */
export class InvalidSchemaError extends MortarError {
  constructor(message: string) {
    super("INVALID_SCHEMA", message);
  }
}

/** A statement the database rejected. Carries the statement so messages can name it. */
export class QueryError extends MortarError {
  readonly sql: string;
  readonly parameters: readonly unknown[];
  constructor(sql: string, parameters: readonly unknown[], cause: unknown) {
    super("QUERY_FAILED", `${databaseMessage(cause)}\n  while running: ${abbreviate(sql)}`, { cause });
    this.sql = sql;
    this.parameters = parameters;
  }
  /** The database's own message, without the statement. */
  get databaseMessage(): string {
    return databaseMessage(this.cause);
  }
}

export class ConnectionError extends MortarError {
  constructor(message: string, cause?: unknown) {
    super("CONNECTION_FAILED", cause ? `${message}: ${databaseMessage(cause)}` : message, { cause });
  }
}

/**
 * The database driver package a connection needs is not installed. The drivers are
 * optional peer dependencies, so a project installs only the one it uses; the message
 * names the package and the command that installs it.
 */
export class DriverMissingError extends MortarError {
  constructor(
    /** The database, as people name it ("PostgreSQL"). */
    readonly database: string,
    /** The npm package to install ("pg"). */
    readonly packageName: string,
    options?: { cause?: unknown },
  ) {
    super("DRIVER_MISSING", `${database} needs the "${packageName}" package: npm install ${packageName}`, options);
  }
}

export class ConfigError extends MortarError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("CONFIG", message, options);
  }
}

export class UsageError extends MortarError {
  constructor(message: string) {
    super("USAGE", message);
  }
}

/**
 * A run option that selects nothing: `migration` names no pending file or no applied
 * migration, `batch` names a batch that never ran. `reason` is the message without its
 * subject, so a front end can put its own name for the option in front
 * (the command line says `--batch 7: no migration ran in that batch …`).
 */
export class NothingSelectedError extends UsageError {
  constructor(
    readonly option: "migration" | "batch",
    readonly value: string | number,
    readonly reason: string,
  ) {
    super(`${option} ${value}: ${reason}`);
  }
}

/**
 * `Migrator.resolve()` refused: `untracked` (no such row), `ran-normally` (rolled-back asked
 * of a migration that finished; its down() undoes it), `file-missing` (applied asked of a
 * finished migration whose file is gone, so there is nothing to accept).
 */
export class ResolveRefusedError extends UsageError {
  constructor(
    readonly migration: string,
    readonly outcome: "applied" | "rolled-back",
    readonly reason: "untracked" | "ran-normally" | "file-missing",
    /** With `ran-normally`: the batch it ran in. */
    readonly batch?: number,
  ) {
    super(resolveRefusal(migration, outcome, reason, batch));
  }
}

function resolveRefusal(migration: string, outcome: string, reason: ResolveRefusedError["reason"], batch?: number): string {
  switch (reason) {
    case "untracked":
      return `${migration}: no such migration in the tracking table`;
    case "ran-normally":
      return (
        `${migration} cannot be resolved as ${outcome}: it ran normally (batch ${batch}); only a failed or interrupted run can be resolved as rolled back.\n` +
        `  To undo it, run its down(): rollback({ migration: "${migration}" })`
      );
    case "file-missing":
      return `${migration} cannot be resolved as ${outcome}: its file is missing, so there is no file to accept`;
  }
}

/** A migration file that cannot be found, loaded or used. */
export class MigrationFileError extends MortarError {
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super("MIGRATION_FILE", `${file}: ${message}`, options);
  }
}

/** A migration whose up() or down() failed; `cause` is the underlying error. */
export class MigrationFailedError extends MortarError {
  constructor(
    readonly migration: string,
    readonly direction: "up" | "down",
    cause: unknown,
    readonly statements: readonly string[] = [],
  ) {
    super("MIGRATION_FAILED", `${migration} (${direction}) failed: ${messageOf(cause)}`, { cause });
  }
}

/** The tracking table is in a state that needs a person to settle (later: failed MySQL runs). */
export class MigrationStateError extends MortarError {
  constructor(message: string) {
    super("MIGRATION_STATE", message);
  }
}

/**
 * A run that could not roll back is unfinished (a MySQL migration that failed part-way,
 * a killed non-transactional run): nothing runs until it is settled by hand.
 * `summary` says what it ran; `settleWith(advice)` words the message with a front end's
 * own way to settle it (the command line names `mortar migrate:resolve`).
 */
export class UnsettledMigrationError extends MigrationStateError {
  constructor(
    readonly migration: string,
    readonly summary: string,
    /** Further unfinished migrations, after `migration`. */
    readonly alsoUnfinished: readonly string[],
  ) {
    super("");
    this.message = this.settleWith(
      `settle it: resolve("${migration}", "applied") (its changes are in place) or resolve("${migration}", "rolled-back") (they are undone)`,
    );
  }

  settleWith(advice: string): string {
    const also = this.alsoUnfinished.length > 0 ? `\n  Also unfinished: ${this.alsoUnfinished.join(", ")}` : "";
    return `${this.summary}\n  Fix the database by hand, then ${advice}${also}`;
  }
}

/**
 * A migration written with change() asks its rollback to undo something that cannot be
 * derived from the call alone (a drop, a change, raw SQL …). Raised while the rollback
 * is planned, before any statement runs; `operation` names it (`dropColumn "users.age"`).
 */
export class IrreversibleMigrationError extends MortarError {
  constructor(
    readonly file: string,
    readonly operation: string,
    /** The migration's name (its file name without the extension). */
    readonly migration: string,
  ) {
    super(
      "IRREVERSIBLE_MIGRATION",
      `${file}: change() cannot be rolled back automatically: ${operation} is irreversible; write a down() method that undoes it (and an up() in place of change())`,
    );
  }
}

export class MigrationLockError extends MortarError {
  constructor(message: string) {
    super("MIGRATION_LOCK", message);
  }
}

/** Another run held the migration lock for longer than the run would wait. */
export class LockTimeoutError extends MigrationLockError {
  constructor(
    /** The database, as shown to people (never with a password). */
    readonly database: string,
    readonly timeoutMs: number,
  ) {
    super(`another mortar run holds the migration lock on ${database}; gave up after ${timeoutMs / 1000} s`);
  }
}

/**
 * The first few non-blank lines of an error's message: a compiler error says what is
 * wrong on its second and third lines ("Transform failed with 1 error:" / "file:3:9: …").
 */
export function briefMessage(error: unknown, lines = 3): string {
  return messageOf(error)
    .split("\n")
    .filter((l) => l.trim())
    .slice(0, lines)
    .join("\n  ");
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

function databaseMessage(cause: unknown): string {
  if (cause instanceof Error) {
    const detail = (cause as { detail?: unknown }).detail;
    return typeof detail === "string" && detail ? `${cause.message} (${detail})` : cause.message;
  }
  return String(cause);
}

function abbreviate(sql: string): string {
  const flat = sql.replace(/\s+/g, " ").trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
}
