import { Command } from "commander";
import { MigrationStateError, MortarError } from "../../errors.js";
import { Migrator } from "../../migration/migrator.js";
import { diffSchemas, type SchemaDifference } from "../../schema-dump/diff.js";
import { readSchemaModel } from "../../schema-dump/read-model.js";
import { withScratchDatabase } from "../../schema-dump/scratch-database.js";
import type { ActionResult } from "../action-result.js";
import { addCommonOptions, withMigrator, type CommonOptions } from "../context.js";
import { EXIT_FAILURE, EXIT_OK } from "../exit-codes.js";
import type { Output } from "../output.js";
import { renderWarnings } from "../render.js";
import { initialSchemaFile } from "../schema-dump-file.js";

/**
 * `schema:diff`: build the schema the migration files (after the dump, if there is one)
 * produce on a scratch database of the same dialect, read both, and list every
 * difference. Exit 1 when there is any: drift to look at.
 */
export function schemaDiffCommand(result: ActionResult): Command {
  return addCommonOptions(new Command("schema:diff"))
    .description("Compare the database with the schema the migrations produce; exit 1 on any difference")
    .option("--json", "print one JSON document")
    .action(
      result.returning((flags: CommonOptions) =>
        withMigrator("schema:diff", flags, false, async ({ db, config, out }) => {
          const { differences, warnings } = await withScratchDatabase(db, async (scratch) => {
            const run = await new Migrator(scratch, {
              path: config.migrationsPath,
              table: config.migrationsTable,
              initialSchema: initialSchemaFile(config, scratch.dialect),
            }).migrate();
            // The migrations themselves fail on a fresh database: that is the finding, not a diff.
            if (run.error) throw run.error.cause instanceof MortarError ? run.error.cause : new MigrationStateError(`schema:diff could not build the expected schema: ${run.error.message}`);
            const [expected, actual] = [await readSchemaModel(scratch), await readSchemaModel(db)];
            return { differences: diffSchemas(expected, actual, { ignoreTables: [config.migrationsTable] }), warnings: run.warnings };
          });
          render(out, differences, warnings);
          return differences.length > 0 ? EXIT_FAILURE : EXIT_OK;
        }),
      ),
    );
}

function render(out: Output, differences: readonly SchemaDifference[], warnings: readonly string[]): void {
  if (out.json) {
    out.document({ differences, warnings });
    return;
  }
  renderWarnings(out, warnings);
  if (differences.length === 0) {
    out.line(`  ${out.color.gray("INFO")}  No differences: the database matches the migrations.`);
    return;
  }
  out.line(`  ${out.color.bold(`${differences.length} difference${differences.length === 1 ? "" : "s"} between the migrations (expected) and the database (actual):`)}`);
  for (const d of differences) {
    const where = d.table !== null && d.kind !== "table" ? `${d.table}.${d.name}` : d.name;
    out.line(`  ${d.kind} ${where}`);
    out.line(`    expected: ${d.expected ?? "(absent)"}`);
    out.line(`    actual:   ${d.actual ?? "(absent)"}`);
  }
}
