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
  | "CONFIG"
  | "CONNECTION_FAILED"
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

export class MigrationLockError extends MortarError {
  constructor(message: string) {
    super("MIGRATION_LOCK", message);
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
