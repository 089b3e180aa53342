import { redactSecrets } from "../config/redact.js";
import { MortarError, QueryError } from "../errors.js";
import type { RunError, RunResult } from "../migration/migrator.js";
import { cliMessage, isRunError } from "./cli-wording.js";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, exitCodeFor, isSetupCode } from "./exit-codes.js";
import { dotted, type Output } from "./output.js";

/** Print the outcome of migrate/rollback/reset/refresh/fresh and return the exit code. */
export function renderRun(
  out: Output,
  result: RunResult,
  emptyMessage: string,
  verbose: boolean,
  /** More fields for the JSON document (`seeded` after `--seed`). */
  extra: Record<string, unknown> = {},
): number {
  if (out.json) {
    out.document({
      batch: result.batch,
      migrations: result.migrations.map((m) => ({
        name: m.name,
        status: m.status,
        durationMs: m.durationMs,
        ...(m.statements ? { statements: m.statements } : {}),
      })),
      ...(result.error ? { error: jsonError(result.error) } : {}),
      ...(result.loadedSchema ? { loadedSchema: result.loadedSchema.path } : {}),
      ...extra,
      warnings: result.warnings,
    });
    return result.error ? exitCodeForRun(result.error) : EXIT_OK;
  }
  if (result.migrations.length === 0 && !result.error) out.line(`  ${out.color.gray("INFO")}  ${emptyMessage}`);
  if (result.error) {
    renderError(out, result.error, verbose);
    return exitCodeForRun(result.error);
  }
  return EXIT_OK;
}

/** A run that failed on configuration or usage (a missing connection, a bad folder, a driver to install) exits 2. */
function exitCodeForRun(error: RunError): number {
  return isSetupCode(error.code) ? EXIT_USAGE : EXIT_FAILURE;
}

/** One line for a migration as it finishes (live, driven by the migrator's events). */
export function migrationLine(out: Pick<Output, "color">, name: string, durationMs: number, status: "DONE" | "FAIL"): string {
  const right = `${out.color.gray(`${durationMs}ms`)} ${status === "DONE" ? out.color.green("DONE") : out.color.red("FAIL")}`;
  return dotted(name, right);
}

export function renderWarnings(out: Output, warnings: readonly string[]): void {
  for (const warning of warnings) out.error(`  ${out.color.yellow("WARN")}  ${warning}`);
}

/** A short message naming what failed; the stack only with --verbose. */
export function renderError(out: Output, error: RunError | unknown, verbose: boolean): void {
  const runError = isRunError(error) ? error : undefined;
  const message = redactSecrets(cliMessage(error));
  const lines = message.split("\n");
  out.error(`  ${out.color.red("ERROR")}  ${lines[0]}`);
  for (const line of lines.slice(1)) out.error(`         ${line.trim()}`);
  if (runError?.sql && !message.includes("while running")) out.error(`         statement: ${redactSecrets(flatten(runError.sql))}`);
  const cause = runError ? runError.cause : error;
  if (verbose && cause instanceof Error) out.error(out.color.gray(redactSecrets(deepStack(cause))));
}

/** Errors raised before a run starts (configuration, connection, usage) in either output mode. */
export function renderFailure(out: Output, error: unknown, verbose: boolean): number {
  if (out.json) {
    out.document({ error: jsonError(error), warnings: [] });
  } else {
    renderError(out, error, verbose);
  }
  return exitCodeFor(error);
}

/** Every string in the document passes the redactor: a driver's message may quote anything. */
function jsonError(error: RunError | unknown): Record<string, unknown> {
  if (isRunError(error)) {
    // `stage` stays out: the document's shape is the one `mortar … --json` always printed.
    const { cause: _cause, stage: _stage, ...rest } = error;
    return JSON.parse(redactSecrets(JSON.stringify({ ...rest, message: cliMessage(error) }))) as Record<string, unknown>;
  }
  return {
    code: error instanceof MortarError ? error.code : "ERROR",
    message: redactSecrets(cliMessage(error)),
    ...(error instanceof QueryError ? { sql: redactSecrets(error.sql) } : {}),
  };
}

function flatten(sql: string): string {
  const flat = sql.replace(/\s+/g, " ").trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
}

function deepStack(error: Error): string {
  let text = error.stack ?? error.message;
  let cause = error.cause;
  while (cause instanceof Error) {
    text += `\nCaused by: ${cause.stack ?? cause.message}`;
    cause = cause.cause;
  }
  return text;
}
