import { Command } from "commander";
import type { ActionResult } from "../action-result.js";
import { addCommonOptions, withMigrator, type CommonOptions } from "../context.js";

export function installCommand(result: ActionResult): Command {
  return addCommonOptions(new Command("migrate:install"))
    .description("Create the migrations tracking table")
    .action(
      result.returning((flags: CommonOptions) =>
        withMigrator("migrate:install", flags, true, async ({ migrator, config, out }) => {
          const existed = await migrator.repository.exists();
          await migrator.install();
          out.line(`  ${out.color.gray("INFO")}  ${existed ? "Migration table already exists" : "Migration table created"}: ${config.migrationsTable}`);
          return 0;
        }),
      ),
    );
}
