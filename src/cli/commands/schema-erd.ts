import { Command } from "commander";
import { renderErd } from "../../schema-types/render-erd.js";
import { readSchemaModel } from "../../schema-types/schema-model.js";
import type { ActionResult } from "../action-result.js";
import { addCommonOptions, withMigrator, type CommonOptions } from "../context.js";
import { EXIT_OK } from "../exit-codes.js";
import { writeGenerated } from "../generated-file.js";

interface SchemaErdFlags extends CommonOptions {
  out?: string;
}

/** `mortar schema:erd [--out FILE]`: the schema as a Mermaid `erDiagram`, to standard output or a file. */
export function schemaErdCommand(result: ActionResult): Command {
  return addCommonOptions(new Command("schema:erd"))
    .description("Write the schema as a Mermaid erDiagram (tables, columns, keys, relations)")
    .option("--out <file>", "file to write (default: standard output; a .md file gets a ```mermaid block)")
    .action(
      result.returning((flags: SchemaErdFlags) =>
        withMigrator("schema:erd", flags, false, async ({ db, config, out }) => {
          const model = await readSchemaModel(db, { exclude: [config.migrationsTable], views: false });
          const diagram = renderErd(model);
          // A Markdown file gets the fenced block GitHub and editors render as a picture.
          const text = flags.out?.endsWith(".md") ? `\`\`\`mermaid\n${diagram}\`\`\`\n` : diagram;
          writeGenerated(text, flags.out, out, "Diagram");
          return EXIT_OK;
        }),
      ),
    );
}
