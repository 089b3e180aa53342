import { Command } from "commander";
import type { ActionResult } from "../action-result.js";
import { addCommonOptions, addSafeOptions, forceOption, lockTimeoutOption, positiveInteger, addTenantOptions, wantsFleet, type TenantFlags } from "../context.js";
import { rollbackTask } from "../../tenants/tenant-tasks.js";
import { runOnTenants } from "../tenant-run.js";
import { runMigrations, type RunFlags } from "../run-command.js";

interface RollbackFlags extends RunFlags, TenantFlags {
  step?: number;
  batch?: number;
  migration?: string;
}

export function rollbackCommand(result: ActionResult): Command {
  return addTenantOptions(addSafeOptions(addCommonOptions(new Command("migrate:rollback"))))
    .description("Roll back the last batch of migrations")
    .option("--step <n>", "roll back the last N migrations", positiveInteger("--step"))
    .option("--batch <n>", "roll back every migration of batch N", positiveInteger("--batch"))
    .option("--migration <name>", "roll back only this migration")
    .option("--pretend", "print the SQL each migration would run; change nothing")
    .addOption(forceOption())
    .addOption(lockTimeoutOption())
    .option("--json", "print one JSON document")
    .action(
      result.returning((flags: RollbackFlags) => {
        const options = { step: flags.step, batch: flags.batch, migration: flags.migration, pretend: flags.pretend };
        if (wantsFleet(flags)) return runOnTenants("migrate:rollback", flags, true, rollbackTask(options));
        return runMigrations({
          name: "migrate:rollback",
          flags,
          run: (migrator) => migrator.rollback(options),
          nothingToDo: "Nothing to roll back.",
        });
      }),
    );
}
