import { Command } from "commander";
import { readSchemaModel } from "../../schema-types/schema-model.js";
import { renderTypes } from "../../schema-types/render-types.js";
import type { ResolvedConfig } from "../../config/load-config.js";
import type { Database } from "../../dialect/database.js";
import type { ActionResult } from "../action-result.js";
import { addCommonOptions, withMigrator, type CommonOptions } from "../context.js";
import { EXIT_OK } from "../exit-codes.js";
import { writeGenerated } from "../generated-file.js";

interface SchemaTypesFlags extends CommonOptions {
  out?: string;
}

/** The module's text for the database `db` is connected to (the tracking table left out). */
export async function generateTypes(db: Database, config: ResolvedConfig): Promise<string> {
  const model = await readSchemaModel(db, { exclude: [config.migrationsTable] });
  return renderTypes(model, config.types.json !== undefined ? { json: config.types.json } : {});
}

/**
 * `mortar schema:types [--out FILE]`: a TypeScript `Database` interface of every table,
 * in Kysely's conventions. Without `--out` it writes to config `types.out`, and without
 * that to standard output.
 */
export function schemaTypesCommand(result: ActionResult): Command {
  return addCommonOptions(new Command("schema:types"))
    .description("Write the TypeScript types of every table (Kysely's conventions)")
    .option("--out <file>", "file to write (default: config types.out, else standard output; - for standard output)")
    .action(
      result.returning((flags: SchemaTypesFlags) =>
        withMigrator("schema:types", flags, false, async ({ db, config, out }) => {
          writeGenerated(await generateTypes(db, config), flags.out ?? config.types.out, out, "Types");
          return EXIT_OK;
        }),
      ),
    );
}
