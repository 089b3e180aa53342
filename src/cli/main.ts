import { Command, CommanderError } from "commander";
import { readFileSync } from "node:fs";
import { MortarError } from "../errors.js";
import { freshCommand } from "./commands/fresh.js";
import { installCommand } from "./commands/install.js";
import { makeMigrationCommand } from "./commands/make-migration.js";
import { migrateCommand } from "./commands/migrate.js";
import { refreshCommand } from "./commands/refresh.js";
import { resetCommand } from "./commands/reset.js";
import { rollbackCommand } from "./commands/rollback.js";
import { resolveCommand } from "./commands/resolve.js";
import { statusCommand } from "./commands/status.js";
import { validateCommand } from "./commands/validate.js";
import { EXIT_USAGE, exitCodeFor } from "./exit-codes.js";

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

export function buildProgram(): Command {
  const program = new Command("mortar")
    .description("Versioned database migrations for TypeScript and Node.js")
    .version(version())
    .showSuggestionAfterError(true)
    .exitOverride();
  for (const command of [
    migrateCommand(),
    rollbackCommand(),
    resetCommand(),
    refreshCommand(),
    freshCommand(),
    statusCommand(),
    installCommand(),
    validateCommand(),
    resolveCommand(),
    makeMigrationCommand(),
  ]) {
    program.addCommand(command.exitOverride());
  }
  return program;
}

/** Run the command line; resolves to the exit code (0 ok, 1 failure, 2 usage/configuration). */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  if (argv.length <= 2) {
    program.outputHelp();
    return 0;
  }
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") return 0;
      // Commander has printed its own one-line message ("unknown option '--x'").
      const cause = (error as { nestedError?: unknown }).nestedError;
      if (cause instanceof MortarError) return exitCodeFor(cause);
      return EXIT_USAGE;
    }
    if (error instanceof MortarError) {
      process.stderr.write(`  ERROR  ${error.message}\n`);
      return exitCodeFor(error);
    }
    throw error;
  }
}
