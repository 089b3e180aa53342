import { join } from "node:path";
import { Command } from "commander";
import { loadConfig } from "../../config/load-config.js";
import { createMigration } from "../../migration/creator.js";
import type { ActionResult } from "../action-result.js";
import { addCommonOptions, type CommonOptions } from "../context.js";
import { createOutput } from "../output.js";
import { renderFailure } from "../render.js";
import { displayPath } from "../../util/display-path.js";

interface MakeFlags extends CommonOptions {
  create?: string;
  table?: string;
  js?: boolean;
}

/** The folder of a project's own stubs (`mortar stub:publish` writes it). */
export const PROJECT_STUBS = "stubs";

export function makeMigrationCommand(result: ActionResult): Command {
  return addCommonOptions(new Command("make:migration"))
    .alias("migration")
    .description("Create a new migration file")
    .argument("[name]", "snake_case or CamelCase description, e.g. create_flights_table, AddStatusToFlights")
    .option("--create <table>", "the table to create")
    .option("--table <table>", "the table to alter")
    .option("--js", "write JavaScript (ES module or CommonJS, as the nearest package.json says) instead of TypeScript")
    .action(
      result.returning(async (name: string | undefined, flags: MakeFlags) => {
        const out = createOutput({ json: false });
        try {
          const config = await loadConfig({ flags });
          const file = await createMigration(name ?? "", {
            path: config.migrationsPath,
            create: flags.create,
            table: flags.table,
            extension: flags.js ? "js" : "ts",
            stubsPath: join(process.cwd(), PROJECT_STUBS),
          });
          out.line(`  ${out.color.gray("INFO")}  Migration [${displayPath(file)}] created successfully.`);
          return 0;
        } catch (error) {
          return renderFailure(out, error, Boolean(flags.verbose));
        }
      }),
    );
}
