import { Command } from "commander";
import { addCommonOptions, forceOption, lockTimeoutOption, withMigrator, type CommonOptions } from "../context.js";
import { renderPretend } from "../pretend.js";
import { renderRun, renderWarnings } from "../render.js";

interface MigrateFlags extends CommonOptions {
  step?: boolean;
  pretend?: boolean;
  force?: boolean;
  migration?: string;
  lockTimeout?: number;
}

export function migrateCommand(): Command {
  return addCommonOptions(new Command("migrate"))
    .description("Run every pending migration")
    .option("--step", "record each migration in its own batch")
    .option("--pretend", "print the SQL each migration would run; change nothing")
    .addOption(forceOption())
    .option("--migration <name>", "run only this pending migration")
    .addOption(lockTimeoutOption())
    .option("--json", "print one JSON document")
    .action(async (flags: MigrateFlags) => {
      process.exitCode = await withMigrator("migrate", flags, true, async ({ migrator, out }) => {
        const result = await migrator.migrate({ step: flags.step, migration: flags.migration, pretend: flags.pretend });
        renderWarnings(out, result.warnings);
        if (flags.pretend) renderPretend(out, result);
        return renderRun(out, result, "Nothing to migrate.", Boolean(flags.verbose));
      });
    });
}
