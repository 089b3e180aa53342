import { Command } from "commander";
import { addCommonOptions, withMigrator, type CommonOptions } from "../context.js";

export function installCommand(): Command {
  return addCommonOptions(new Command("migrate:install"))
    .description("Create the migrations tracking table")
    .action(async (flags: CommonOptions) => {
      process.exitCode = await withMigrator("migrate:install", flags, true, async ({ migrator, config, out }) => {
        const existed = await migrator.repository.exists();
        await migrator.install();
        out.line(`  ${out.color.gray("INFO")}  ${existed ? "Migration table already exists" : "Migration table created"}: ${config.migrationsTable}`);
        return 0;
      });
    });
}
