import { Command, CommanderError } from "commander";
import { MortarError } from "../errors.js";
import { packageVersion } from "../package-version.js";
import { ActionResult } from "./action-result.js";
import { dbSeedCommand } from "./commands/db-seed.js";
import { freshCommand } from "./commands/fresh.js";
import { initCommand } from "./commands/init.js";
import { installCommand } from "./commands/install.js";
import { lintCommand } from "./commands/lint.js";
import { makeMigrationCommand } from "./commands/make-migration.js";
import { makeSeederCommand } from "./commands/make-seeder.js";
import { migrateCommand } from "./commands/migrate.js";
import { refreshCommand } from "./commands/refresh.js";
import { resetCommand } from "./commands/reset.js";
import { rollbackCommand } from "./commands/rollback.js";
import { schemaErdCommand } from "./commands/schema-erd.js";
import { schemaTypesCommand } from "./commands/schema-types.js";
import { resolveCommand } from "./commands/resolve.js";
import { statusCommand } from "./commands/status.js";
import { schemaDiffCommand } from "./commands/schema-diff.js";
import { schemaDumpCommand } from "./commands/schema-dump.js";
import { schemaLoadCommand } from "./commands/schema-load.js";
import { stubPublishCommand } from "./commands/stub-publish.js";
import { validateCommand } from "./commands/validate.js";
import { EXIT_USAGE, exitCodeFor } from "./exit-codes.js";

export function buildProgram(result: ActionResult): Command {
  const program = new Command("mortar")
    .description("Versioned database migrations for TypeScript and Node.js")
    .version(packageVersion())
    .showSuggestionAfterError(true)
    .exitOverride();
  for (const command of [
    migrateCommand(result),
    rollbackCommand(result),
    resetCommand(result),
    refreshCommand(result),
    freshCommand(result),
    statusCommand(result),
    installCommand(result),
    validateCommand(result),
    lintCommand(result),
    resolveCommand(result),
    makeMigrationCommand(result),
    makeSeederCommand(result),
    dbSeedCommand(result),
    stubPublishCommand(result),
    schemaTypesCommand(result),
    schemaErdCommand(result),
    initCommand(result),
    schemaDumpCommand(result),
    schemaLoadCommand(result),
    schemaDiffCommand(result),
  ]) {
    program.addCommand(command.exitOverride());
  }
  return program;
}

/** Run the command line; resolves to the exit code (0 ok, 1 failure, 2 usage/configuration). */
export async function main(argv: readonly string[]): Promise<number> {
  const result = new ActionResult();
  const program = buildProgram(result);
  if (argv.length <= 2) {
    program.outputHelp();
    return 0;
  }
  // With --json even a usage mistake is one JSON document on stdout, and nothing else.
  const json = argv.includes("--json");
  if (json) {
    for (const command of [program, ...program.commands]) command.configureOutput({ writeErr: () => undefined });
  }
  try {
    await program.parseAsync([...argv]);
    return result.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") return 0;
      // Commander has printed its own one-line message ("unknown option '--x'") unless --json.
      const cause = (error as { nestedError?: unknown }).nestedError;
      const code = cause instanceof MortarError ? exitCodeFor(cause) : EXIT_USAGE;
      if (json) printJsonError(cause instanceof MortarError ? cause.code : "USAGE", error.message.replace(/^error: /, ""));
      return code;
    }
    if (error instanceof MortarError) {
      if (json) printJsonError(error.code, error.message);
      else process.stderr.write(`  ERROR  ${error.message}\n`);
      return exitCodeFor(error);
    }
    throw error;
  }
}

function printJsonError(code: string, message: string): void {
  process.stdout.write(`${JSON.stringify({ error: { code, message }, warnings: [] })}\n`);
}
