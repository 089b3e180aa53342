import { Command } from "commander";
import { addCommonOptions, forceOption, lockTimeoutOption, withMigrator, type CommonOptions } from "../context.js";
import { renderPretend } from "../pretend.js";
import { renderRun, renderWarnings } from "../render.js";

interface ResetFlags extends CommonOptions {
  pretend?: boolean;
  force?: boolean;
  lockTimeout?: number;
}

export function resetCommand(): Command {
  return addCommonOptions(new Command("migrate:reset"))
    .description("Roll back every migration")
    .option("--pretend", "print the SQL each migration would run; change nothing")
    .addOption(forceOption())
    .addOption(lockTimeoutOption())
    .option("--json", "print one JSON document")
    .action(async (flags: ResetFlags) => {
      process.exitCode = await withMigrator("migrate:reset", flags, true, async ({ migrator, out }) => {
        const result = await migrator.reset({ pretend: flags.pretend });
        renderWarnings(out, result.warnings);
        if (flags.pretend) renderPretend(out, result);
        return renderRun(out, result, "Nothing to roll back.", Boolean(flags.verbose));
      });
    });
}
