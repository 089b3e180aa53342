import { Command } from "commander";
import type { ActionResult } from "../action-result.js";
import { addCommonOptions, addSafeOptions, forceOption, lockTimeoutOption, positiveInteger } from "../context.js";
import { runMigrations, type RunFlags } from "../run-command.js";
import { addSeedOptions, assertSeederExists, seedAfterRun, wantsSeeding, type SeedFlags } from "../seeding.js";

interface RefreshFlags extends RunFlags, SeedFlags {
  step?: number;
}

export function refreshCommand(result: ActionResult): Command {
  return addSeedOptions(addSafeOptions(addCommonOptions(new Command("migrate:refresh"))))
    .description("Roll back every migration (or the last N) and run them again")
    .option("--step <n>", "roll back and re-run only the last N migrations", positiveInteger("--step"))
    .option("--pretend", "print the SQL each migration would run; change nothing")
    .addOption(forceOption())
    .addOption(lockTimeoutOption())
    .option("--json", "print one JSON document")
    .action(
      result.returning(async (flags: RefreshFlags) => {
        if (wantsSeeding(flags) && !flags.pretend) await assertSeederExists(flags, flags.seeder);
        return runMigrations({
          name: "migrate:refresh",
          flags,
          run: (migrator) => migrator.refresh({ step: flags.step, pretend: flags.pretend }),
          nothingToDo: "Nothing to refresh.",
          followUp: seedAfterRun(flags),
        });
      }),
    );
}
