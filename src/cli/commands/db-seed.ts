import { Command } from "commander";
import type { ActionResult } from "../action-result.js";
import { seedTask } from "../../tenants/tenant-tasks.js";
import { addCommonOptions, addTenantOptions, forceOption, wantsFleet, withMigrator, type CommonOptions, type TenantFlags } from "../context.js";
import { runOnTenants } from "../tenant-run.js";
import { createOutput } from "../output.js";
import { renderFailure } from "../render.js";
import { assertSeederExists, runSeeding, seedingFields } from "../seeding.js";

interface SeedCommandFlags extends CommonOptions, TenantFlags {
  class?: string;
  force?: boolean;
}

export function dbSeedCommand(result: ActionResult): Command {
  return addTenantOptions(addCommonOptions(new Command("db:seed")))
    .description("Seed the database: run DatabaseSeeder (or --class NAME) in one transaction")
    .option("--class <name>", "the seeder to run (default DatabaseSeeder)")
    .addOption(forceOption())
    .option("--json", "print one JSON document")
    .action(
      result.returning(async (flags: SeedCommandFlags) => {
        const verbose = Boolean(flags.verbose);
        try {
          await assertSeederExists(flags, flags.class);
        } catch (error) {
          return renderFailure(createOutput({ json: Boolean(flags.json) }), error, verbose);
        }
        if (wantsFleet(flags)) return runOnTenants("db:seed", flags, true, seedTask(flags.class));
        return withMigrator("db:seed", flags, true, async ({ db, config, out }) => {
          const outcome = await runSeeding(db, config.seedersPath, flags.class, out, verbose);
          if (out.json) out.document({ ...seedingFields(outcome), warnings: [] });
          return outcome.exitCode;
        });
      }),
    );
}
