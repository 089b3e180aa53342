import { Command } from "commander";
import { addCommonOptions, forceOption, lockTimeoutOption, positiveInteger, withMigrator, type CommonOptions } from "../context.js";
import { renderPretend } from "../pretend.js";
import { renderRun, renderWarnings } from "../render.js";

interface RollbackFlags extends CommonOptions {
  step?: number;
  batch?: number;
  migration?: string;
  pretend?: boolean;
  force?: boolean;
  lockTimeout?: number;
}

export function rollbackCommand(): Command {
  return addCommonOptions(new Command("migrate:rollback"))
    .description("Roll back the last batch of migrations")
    .option("--step <n>", "roll back the last N migrations", positiveInteger("--step"))
    .option("--batch <n>", "roll back every migration of batch N", positiveInteger("--batch"))
    .option("--migration <name>", "roll back only this migration")
    .option("--pretend", "print the SQL each migration would run; change nothing")
    .addOption(forceOption())
    .addOption(lockTimeoutOption())
    .option("--json", "print one JSON document")
    .action(async (flags: RollbackFlags) => {
      process.exitCode = await withMigrator("migrate:rollback", flags, true, async ({ migrator, out }) => {
        const result = await migrator.rollback({
          step: flags.step,
          batch: flags.batch,
          migration: flags.migration,
          pretend: flags.pretend,
        });
        renderWarnings(out, result.warnings);
        if (flags.pretend) renderPretend(out, result);
        return renderRun(out, result, "Nothing to roll back.", Boolean(flags.verbose));
      });
    });
}
