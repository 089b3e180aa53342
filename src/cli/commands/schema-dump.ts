import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Command } from "commander";
import { UsageError } from "../../errors.js";
import { discoverMigrations } from "../../migration/file-source.js";
import { dumpPath, dumpSchema, dumpStatements } from "../../schema-dump/dump.js";
import { migrationsInDump } from "../../schema-dump/tracking-rows.js";
import { displayPath } from "../../util/display-path.js";
import type { ActionResult } from "../action-result.js";
import { addCommonOptions, forceOption, withMigrator, type CommonOptions } from "../context.js";
import { EXIT_OK } from "../exit-codes.js";
import { confirmProduction } from "../production-guard.js";

interface DumpFlags extends CommonOptions {
  out?: string;
  prune?: boolean;
  force?: boolean;
}

/**
 * `schema:dump`: the schema and tracking rows as SQL of the connection's dialect, read
 * through Mortar's own introspection (no pg_dump/mysqldump). `--prune` then deletes the
 * migration files the dump records as ran.
 */
export function schemaDumpCommand(result: ActionResult): Command {
  return addCommonOptions(new Command("schema:dump"))
    .description("Write the database schema and its migration history to databases/schema/<connection>-schema.sql")
    .option("--out <file>", "write the dump to this file instead")
    .option("--prune", "delete the migration files the dump covers")
    .addOption(forceOption())
    .option("--json", "print one JSON document")
    .action(
      result.returning((flags: DumpFlags) =>
        withMigrator("schema:dump", flags, false, async ({ db, config, out }) => {
          if (flags.prune) await confirmProduction("schema:dump --prune", Boolean(flags.force));
          const path = flags.out !== undefined ? resolve(flags.out) : dumpPath(config);
          const sql = await dumpSchema(db, { trackingTable: config.migrationsTable });
          mkdirSync(dirname(path), { recursive: true });
          writeFileSync(path, sql);
          const covered = new Set(migrationsInDump(dumpStatements(sql, db.dialect), config.migrationsTable, (n) => db.grammar.quoteIdentifier(n)).map((m) => m.migration));
          const pruned: string[] = [];
          if (flags.prune) {
            const files = (await discoverMigrations(config.migrationsPath)).files.filter((f) => covered.has(f.name));
            if (files.length > 0 && process.stdin.isTTY && !flags.force && !out.json) await confirmPrune(files.length);
            for (const file of files) {
              rmSync(file.path);
              pruned.push(displayPath(file.path));
            }
          }
          if (out.json) {
            out.document({ path: displayPath(path), migrations: covered.size, pruned, warnings: [] });
          } else {
            out.line(`  ${out.color.gray("INFO")}  Schema dumped to ${displayPath(path)} (${covered.size} migration${covered.size === 1 ? "" : "s"} covered).`);
            if (flags.prune) out.line(`  ${out.color.gray("INFO")}  Pruned ${pruned.length} migration file${pruned.length === 1 ? "" : "s"}.`);
          }
          return EXIT_OK;
        }),
      ),
    );
}

async function confirmPrune(count: number): Promise<void> {
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`Delete the ${count} migration file${count === 1 ? "" : "s"} the dump covers? (yes/no) [no] `);
    if (!/^y(es)?$/i.test(answer.trim())) throw new UsageError("schema:dump --prune cancelled (the dump was written; no file was deleted)");
  } finally {
    rl.close();
  }
}
