import { Command } from "commander";
import { addCommonOptions, forceOption, lockTimeoutOption, positiveInteger, withMigrator, type CommonOptions } from "../context.js";
import { renderPretend } from "../pretend.js";
import { renderRun, renderWarnings } from "../render.js";

interface RefreshFlags extends CommonOptions {
  step?: number;
  pretend?: boolean;
  force?: boolean;
  lockTimeout?: number;
}

export function refreshCommand(): Command {
  return addCommonOptions(new Command("migrate:refresh"))
    .description("Roll back every migration (or the last N) and run them again")
    .option("--step <n>", "roll back and re-run only the last N migrations", positiveInteger("--step"))
    .option("--pretend", "print the SQL each migration would run; change nothing")
    .addOption(forceOption())
    .addOption(lockTimeoutOption())
    .option("--json", "print one JSON document")
    .action(async (flags: RefreshFlags) => {
      process.exitCode = await withMigrator("migrate:refresh", flags, true, async ({ migrator, out }) => {
        const result = await migrator.refresh({ step: flags.step, pretend: flags.pretend });
        renderWarnings(out, result.warnings);
        if (flags.pretend) renderPretend(out, result);
        return renderRun(out, result, "Nothing to refresh.", Boolean(flags.verbose));
      });
    });
}
