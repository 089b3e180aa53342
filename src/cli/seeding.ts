import type { Command } from "commander";
import { loadConfig } from "../config/load-config.js";
import { redactSecrets } from "../config/redact.js";
import type { Database } from "../dialect/database.js";
import { MortarError } from "../errors.js";
import { seed } from "../seeding/seed.js";
import { SeederFailedError } from "../seeding/seeder-errors.js";
import { DEFAULT_SEEDER, locateSeeder } from "../seeding/seeder-file.js";
import { cliMessage } from "./cli-wording.js";
import { EXIT_OK, exitCodeFor } from "./exit-codes.js";
import type { Output } from "./output.js";
import { migrationLine, renderError } from "./render.js";
import type { FollowUp, RunCommand } from "./run-command.js";
import type { CommonOptions } from "./context.js";

/** What one seeding did, for the text lines already printed and the JSON document still to come. */
export interface SeedOutcome {
  /** Seeders that ran and were kept (empty when the run rolled back). */
  readonly seeded: readonly string[];
  readonly error?: unknown;
  readonly exitCode: number;
}

/**
 * Run seeder `name` (default DatabaseSeeder) on `db`, printing a line per seeder as it
 * finishes and, on failure, the error. Never throws: the outcome carries the exit code.
 */
export async function runSeeding(db: Database, seedersPath: string, name: string | undefined, out: Output, verbose: boolean): Promise<SeedOutcome> {
  out.line(`  ${out.color.gray("INFO")}  Seeding database.`);
  try {
    const result = await seed(db, {
      path: seedersPath,
      ...(name !== undefined ? { seeder: name } : {}),
      onSeederEnd: (event) => out.line(migrationLine(out, event.name, event.durationMs, event.status)),
    });
    return { seeded: result.seeded, exitCode: EXIT_OK };
  } catch (error) {
    renderError(out, error, verbose);
    if (error instanceof SeederFailedError) out.error(`         ${rollbackNote(db)}`);
    return { seeded: [], error, exitCode: exitCodeFor(error) };
  }
}

/** MySQL and MariaDB commit DDL as it runs: only the rows are rolled back there. */
function rollbackNote(db: Database): string {
  return db.dialect === "mysql"
    ? "The seeding transaction was rolled back: no row was kept (tables a seeder created or altered stay: MySQL commits DDL at once)."
    : "The seeding transaction was rolled back: nothing was seeded.";
}

/** The `seeded` list, and the error when there was one, for a `--json` document. */
export function seedingFields(outcome: SeedOutcome): Record<string, unknown> {
  const { error } = outcome;
  if (error === undefined) return { seeded: outcome.seeded };
  return {
    seeded: outcome.seeded,
    error: {
      code: error instanceof MortarError ? error.code : "ERROR",
      message: redactSecrets(cliMessage(error)),
      ...(error instanceof SeederFailedError ? { seeder: error.seeder } : {}),
    },
  };
}

/**
 * Before connecting: the seeder must be there, so `db:seed --class Typo` or `migrate --seed`
 * without a DatabaseSeeder changes nothing (no SQLite file, no migration run). Throws the
 * usage error that names the file looked for.
 */
export async function assertSeederExists(flags: CommonOptions, name: string | undefined): Promise<void> {
  const config = await loadConfig({ flags });
  locateSeeder(config.seedersPath, name ?? DEFAULT_SEEDER);
}

/** The flags `migrate`, `migrate:fresh` and `migrate:refresh` take for seeding. */
export interface SeedFlags {
  readonly seed?: boolean;
  readonly seeder?: string;
  readonly pretend?: boolean;
  readonly verbose?: boolean;
}

export function addSeedOptions(command: Command): Command {
  return command
    .option("--seed", "run the DatabaseSeeder after a successful run")
    .option("--seeder <name>", "run this seeder after a successful run (implies --seed)");
}

/** True when the flags ask for seeding (`--seeder NAME` alone counts, as in Laravel). */
export function wantsSeeding(flags: SeedFlags): boolean {
  return Boolean(flags.seed) || flags.seeder !== undefined;
}

/**
 * `--seed`: after a successful, real run, seed on the run's own connection. Not after a
 * failed run; with `--pretend` it says it skipped (pretending changes nothing).
 */
export function seedAfterRun(flags: SeedFlags): RunCommand["followUp"] {
  if (!wantsSeeding(flags)) return undefined;
  return async ({ db, config, out }, result): Promise<FollowUp> => {
    if (result.error) return { fields: { seeded: [] }, exitCode: EXIT_OK };
    if (flags.pretend) {
      out.line(`  ${out.color.gray("INFO")}  Not seeding: --pretend changes nothing.`);
      return { fields: { seeded: [] }, exitCode: EXIT_OK };
    }
    const outcome = await runSeeding(db, config.seedersPath, flags.seeder, out, Boolean(flags.verbose));
    return { fields: seedingFields(outcome), exitCode: outcome.exitCode };
  };
}
