import { Command } from "commander";
import { loadConfig } from "../../config/load-config.js";
import { createSeeder } from "../../seeding/seeder-creator.js";
import { displayPath } from "../../util/display-path.js";
import type { ActionResult } from "../action-result.js";
import { addCommonOptions, type CommonOptions } from "../context.js";
import { createOutput } from "../output.js";
import { renderFailure } from "../render.js";

interface MakeSeederFlags extends CommonOptions {
  js?: boolean;
}

export function makeSeederCommand(result: ActionResult): Command {
  return addCommonOptions(new Command("make:seeder"))
    .description("Create a new seeder file in the seeders folder (config seeders.path, default databases/seeders)")
    .argument("[name]", "the seeder's class name, e.g. UserSeeder")
    .option("--js", "write JavaScript (ESM or CommonJS after package.json) instead of TypeScript")
    .action(
      result.returning(async (name: string | undefined, flags: MakeSeederFlags) => {
        const out = createOutput({ json: false });
        try {
          const config = await loadConfig({ flags });
          const file = createSeeder(name ?? "", { path: config.seedersPath, javascript: Boolean(flags.js) });
          out.line(`  ${out.color.gray("INFO")}  Seeder [${displayPath(file)}] created successfully.`);
          return 0;
        } catch (error) {
          return renderFailure(out, error, Boolean(flags.verbose));
        }
      }),
    );
}
