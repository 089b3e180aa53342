import { Command } from "commander";
import { UsageError } from "../../errors.js";
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
    .argument("[unexpected...]")
    .action(async (unexpected: string[], flags: MigrateFlags) => {
      if (unexpected.length > 0) {
        const hint = flags.step ? ' (--step takes no value on migrate: it gives each migration its own batch; to roll back N use "migrate:rollback --step N")' : "";
        throw new UsageError(`migrate takes no arguments, got "${unexpected.join(" ")}"${hint}`);
      }
      process.exitCode = await withMigrator("migrate", flags, true, async ({ migrator, out }) => {
        const result = await migrator.migrate({ step: flags.step, migration: flags.migration, pretend: flags.pretend });
        renderWarnings(out, result.warnings);
        if (flags.pretend) renderPretend(out, result);
        return renderRun(out, result, "Nothing to migrate.", Boolean(flags.verbose));
      });
    });
}
