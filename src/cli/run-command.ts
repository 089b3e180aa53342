import type { Migrator, RunResult } from "../migration/migrator.js";
import { withMigrator, type CommonOptions, type MigratorContext } from "./context.js";
import { renderPretend } from "./pretend.js";
import { renderFailure, renderRun, renderWarnings } from "./render.js";

/** The flags every run command (migrate, rollback, reset, refresh, fresh) shares. */
export interface RunFlags extends CommonOptions {
  readonly pretend?: boolean;
  readonly force?: boolean;
  readonly lockTimeout?: number;
  readonly safe?: boolean;
  readonly ddlLockTimeout?: number;
}

export interface RunCommand {
  readonly name: string;
  readonly flags: RunFlags;
  /** What the command asks of the migrator. */
  readonly run: (migrator: Migrator) => Promise<RunResult>;
  /** Printed when nothing ran: "Nothing to migrate." */
  readonly nothingToDo: string;
  /** Printed before a real (not pretended) run starts. */
  readonly announce?: string;
  /** Work after the run on the same connection (`--seed`); it prints its own lines. */
  readonly followUp?: (context: MigratorContext, result: RunResult) => Promise<FollowUp>;
}

/** What a follow-up adds: fields of the one `--json` document, and its exit code. */
export interface FollowUp {
  readonly fields: Record<string, unknown>;
  readonly exitCode: number;
}

/**
 * The frame of the five run commands: connect, run, print warnings, the pretended SQL and
 * the outcome, and return the exit code.
 */
export function runMigrations(command: RunCommand): Promise<number> {
  const { flags } = command;
  const verbose = Boolean(flags.verbose);
  return withMigrator(command.name, flags, true, async (context) => {
    const { migrator, out, progress } = context;
    if (command.announce && !flags.pretend) out.line(`  ${out.color.gray("INFO")}  ${command.announce}`);
    const result = await command.run(migrator);
    const { error } = result;
    // Stopped outside any migration (the lock, a name that selects nothing, a commit):
    // printed as the command's failure, like a configuration error, with no run document.
    if (error && (error.stage === "start" || error.stage === "finish")) {
      return renderFailure(out, error.cause !== undefined ? error.cause : error, verbose);
    }
    renderWarnings(out, result.warnings);
    if (flags.pretend) renderPretend(out, result, progress);
    const { followUp } = command;
    if (!followUp) return renderRun(out, result, command.nothingToDo, verbose);
    // With --json the follow-up's outcome joins the run's single document; in text its
    // lines come after the run's own.
    if (out.json) {
      const after = await followUp(context, result);
      return renderRun(out, result, command.nothingToDo, verbose, after.fields) || after.exitCode;
    }
    const code = renderRun(out, result, command.nothingToDo, verbose);
    const after = await followUp(context, result);
    return code || after.exitCode;
  });
}
