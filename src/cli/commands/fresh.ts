import { Command } from "commander";
import { addCommonOptions, forceOption, lockTimeoutOption, withMigrator, type CommonOptions } from "../context.js";
import { renderPretend } from "../pretend.js";
import { renderRun, renderWarnings } from "../render.js";

interface FreshFlags extends CommonOptions {
  pretend?: boolean;
  force?: boolean;
  lockTimeout?: number;
}

export function freshCommand(): Command {
  return addCommonOptions(new Command("migrate:fresh"))
    .description("Drop every table and view, then run every migration")
    .option("--pretend", "print the SQL that would run; change nothing")
    .addOption(forceOption())
    .addOption(lockTimeoutOption())
    .option("--json", "print one JSON document")
    .action(async (flags: FreshFlags) => {
      process.exitCode = await withMigrator("migrate:fresh", flags, true, async ({ migrator, out }) => {
        if (!flags.pretend) out.line(`  ${out.color.gray("INFO")}  Dropping every table and view, then migrating.`);
        const result = await migrator.fresh({ pretend: flags.pretend });
        renderWarnings(out, result.warnings);
        if (flags.pretend) renderPretend(out, result);
        return renderRun(out, result, "Nothing to migrate.", Boolean(flags.verbose));
      });
    });
}
