import { Command } from "commander";
import type { ActionResult } from "../action-result.js";
import { addCommonOptions, addSafeOptions, forceOption, lockTimeoutOption, addTenantOptions, wantsFleet, type TenantFlags } from "../context.js";
import { UsageError } from "../../errors.js";
import { freshTask } from "../../tenants/tenant-tasks.js";
import { runOnTenants } from "../tenant-run.js";
import { runMigrations, type RunFlags } from "../run-command.js";
import { addSeedOptions, assertSeederExists, seedAfterRun, wantsSeeding, type SeedFlags } from "../seeding.js";

interface FreshFlags extends RunFlags, SeedFlags, TenantFlags {}

export function freshCommand(result: ActionResult): Command {
  return addTenantOptions(addSeedOptions(addSafeOptions(addCommonOptions(new Command("migrate:fresh")))))
    .description("Drop every table and view, then run every migration")
    .option("--pretend", "print the SQL that would run; change nothing")
    .addOption(forceOption())
    .addOption(lockTimeoutOption())
    .option("--json", "print one JSON document")
    .action(
      result.returning(async (flags: FreshFlags) => {
        if (wantsFleet(flags)) {
          if (wantsSeeding(flags)) throw new UsageError("--seed does not combine with --tenants: run db:seed --tenants after migrate:fresh");
          return runOnTenants("migrate:fresh", flags, true, freshTask({ pretend: flags.pretend }));
        }
        if (wantsSeeding(flags) && !flags.pretend) await assertSeederExists(flags, flags.seeder);
        return runMigrations({
          name: "migrate:fresh",
          flags,
          announce: "Dropping every table and view, then migrating.",
          run: (migrator) => migrator.fresh({ pretend: flags.pretend }),
          nothingToDo: "Nothing to migrate.",
          followUp: seedAfterRun(flags),
        });
      }),
    );
}
