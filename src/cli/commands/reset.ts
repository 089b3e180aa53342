import { Command } from "commander";
import type { ActionResult } from "../action-result.js";
import { addCommonOptions, addSafeOptions, forceOption, lockTimeoutOption } from "../context.js";
import { runMigrations, type RunFlags } from "../run-command.js";

export function resetCommand(result: ActionResult): Command {
  return addSafeOptions(addCommonOptions(new Command("migrate:reset")))
    .description("Roll back every migration")
    .option("--pretend", "print the SQL each migration would run; change nothing")
    .addOption(forceOption())
    .addOption(lockTimeoutOption())
    .option("--json", "print one JSON document")
    .action(
      result.returning((flags: RunFlags) =>
        runMigrations({
          name: "migrate:reset",
          flags,
          run: (migrator) => migrator.reset({ pretend: flags.pretend }),
          nothingToDo: "Nothing to roll back.",
        }),
      ),
    );
}
