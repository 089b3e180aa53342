import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Command } from "commander";
import { ConfigError, UsageError } from "../../errors.js";
import { dumpPath, dumpStatements, loadSchemaDump } from "../../schema-dump/dump.js";
import { displayPath } from "../../util/display-path.js";
import type { ActionResult } from "../action-result.js";
import { addCommonOptions, forceOption, withMigrator, type CommonOptions } from "../context.js";
import { EXIT_OK } from "../exit-codes.js";
import { terminated } from "../pretend.js";

interface LoadFlags extends CommonOptions {
  file?: string;
  force?: boolean;
  pretend?: boolean;
}

/**
 * `schema:load`: run the connection's dump alone. Refused on a database that has any
 * table or view (the dump would collide with it half-way on MySQL), unless --force,
 * which only skips that check: it drops nothing.
 */
export function schemaLoadCommand(result: ActionResult): Command {
  return addCommonOptions(new Command("schema:load"))
    .description("Load databases/schema/<connection>-schema.sql into an empty database")
    .option("--file <file>", "load this dump instead")
    .option("--pretend", "print the statements; change nothing")
    .addOption(forceOption())
    .option("--json", "print one JSON document")
    .action(
      result.returning((flags: LoadFlags) =>
        withMigrator("schema:load", flags, true, async ({ db, config, out }) => {
          const path = flags.file !== undefined ? resolve(flags.file) : dumpPath(config);
          if (!existsSync(path)) throw new ConfigError(`${displayPath(path)}: no schema dump (write one with schema:dump, or name one with --file)`);
          const sql = readFileSync(path, "utf8");
          if (flags.pretend) {
            const statements = dumpStatements(sql, db.dialect);
            if (out.json) out.document({ path: displayPath(path), statements, warnings: [] });
            else for (const statement of statements) out.line(`  ${out.color.gray("⇂")} ${terminated(statement)}`);
            return EXIT_OK;
          }
          const [tables, views] = await Promise.all([db.introspector.getTables(), db.introspector.getViews()]);
          if (!flags.force && tables.length + views.length > 0) {
            throw new UsageError(`schema:load needs an empty database; this one has ${[...tables, ...views].slice(0, 5).join(", ")}${tables.length + views.length > 5 ? ", …" : ""} (use migrate:fresh, or --force to load anyway)`);
          }
          const ran = await loadSchemaDump(db, sql);
          if (out.json) out.document({ loadedSchema: displayPath(path), statements: ran.length, warnings: [] });
          else out.line(`  ${out.color.gray("INFO")}  Loaded schema dump ${displayPath(path)} (${ran.length} statements).`);
          return EXIT_OK;
        }),
      ),
    );
}
