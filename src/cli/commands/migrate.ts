import { Command } from "commander";
import { UsageError } from "../../errors.js";
import type { ActionResult } from "../action-result.js";
import { addCommonOptions, addSafeOptions, forceOption, lockTimeoutOption, addTenantOptions, wantsFleet, type TenantFlags } from "../context.js";
import { migrateTask } from "../../tenants/tenant-tasks.js";
import { runOnTenants } from "../tenant-run.js";
import { runMigrations, type RunFlags } from "../run-command.js";
import { addSeedOptions, assertSeederExists, seedAfterRun, wantsSeeding, type SeedFlags } from "../seeding.js";
import { writeTypesAfter } from "../types-after-migrate.js";

interface MigrateFlags extends RunFlags, SeedFlags, TenantFlags {
  step?: boolean;
  migration?: string;
}

export function migrateCommand(result: ActionResult): Command {
  return addTenantOptions(addSeedOptions(addSafeOptions(addCommonOptions(new Command("migrate")))))
    .description("Run every pending migration")
    .option("--step", "record each migration in its own batch")
    .option("--pretend", "print the SQL each migration would run; change nothing")
    .addOption(forceOption())
    .option("--migration <name>", "run only this pending migration")
    .addOption(lockTimeoutOption())
    .option("--json", "print one JSON document")
    .argument("[unexpected...]")
    .action(
      result.returning(async (unexpected: string[], flags: MigrateFlags) => {
        if (unexpected.length > 0) {
          const hint = flags.step ? ' (--step takes no value on migrate: it gives each migration its own batch; to roll back N use "migrate:rollback --step N")' : "";
          throw new UsageError(`migrate takes no arguments, got "${unexpected.join(" ")}"${hint}`);
        }
        if (wantsFleet(flags)) {
          if (wantsSeeding(flags)) throw new UsageError("--seed does not combine with --tenants: run db:seed --tenants after migrating");
          return runOnTenants("migrate", flags, true, migrateTask({ step: flags.step, migration: flags.migration, pretend: flags.pretend }));
        }
        if (wantsSeeding(flags) && !flags.pretend) await assertSeederExists(flags, flags.seeder);
        return runMigrations({
          name: "migrate",
          flags,
          run: (migrator) => migrator.migrate({ step: flags.step, migration: flags.migration, pretend: flags.pretend }),
          nothingToDo: "Nothing to migrate.",
          followUp: writeTypesAfter(seedAfterRun(flags), flags),
        });
      }),
    );
}
