import { Command } from "commander";
import { UsageError } from "../../errors.js";
import { addCommonOptions, forceOption, withMigrator, type CommonOptions } from "../context.js";

interface ResolveFlags extends CommonOptions {
  applied?: boolean;
  rolledBack?: boolean;
  force?: boolean;
}

/** Settle a migration that a non-transactional run (MySQL) left unfinished. */
export function resolveCommand(): Command {
  return addCommonOptions(new Command("migrate:resolve"))
    .description("Settle a failed or interrupted migration by hand")
    .argument("<name>", "the migration, e.g. 2026_01_01_000000_create_users_table")
    .option("--applied", "its changes are in place: record it as ran")
    .option("--rolled-back", "its changes are undone: forget it")
    .addOption(forceOption())
    .action(async (name: string, flags: ResolveFlags) => {
      if (Boolean(flags.applied) === Boolean(flags.rolledBack)) {
        throw new UsageError("migrate:resolve needs exactly one of --applied or --rolled-back");
      }
      process.exitCode = await withMigrator("migrate:resolve", flags, true, async ({ migrator, out }) => {
        await migrator.resolve(name, flags.applied ? "applied" : "rolled-back");
        out.line(`  ${out.color.gray("INFO")}  ${name} recorded as ${flags.applied ? "applied" : "rolled back"}.`);
        return 0;
      });
    });
}
