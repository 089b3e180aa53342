import { MortarError, messageOf } from "../errors.js";

/** A seeder file that exists but cannot be loaded or used (a syntax error, no Seeder export). */
export class SeederFileError extends MortarError {
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super("SEEDER_FILE", `${file}: ${message}`, options);
  }
}

/**
 * A seeder whose run() threw. `seeder` is the one that failed (the innermost, when seeders
 * call seeders) and `calledBy` the chain above it, outermost first.
 */
export class SeederFailedError extends MortarError {
  constructor(
    readonly seeder: string,
    readonly calledBy: readonly string[],
    cause: unknown,
  ) {
    const chain = calledBy.length > 0 ? ` (called by ${calledBy.join(" → ")})` : "";
    super("SEEDER_FAILED", `seeder ${seeder}${chain} failed: ${messageOf(cause)}`, { cause });
  }
}
