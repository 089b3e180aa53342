import { Command } from "commander";
import type { ActionResult } from "../action-result.js";
import { addCommonOptions, withMigrator, type CommonOptions } from "../context.js";

const EXPLAIN = {
  modified: "changed since it ran",
  missing: "ran, but its file is missing",
  failed: "did not finish; settle it with migrate:resolve",
  "out of order": "is pending but sorts before a migration that already ran",
} as const;

/** For CI: exit 1 when the applied history and the files disagree, 0 otherwise. */
export function validateCommand(result: ActionResult): Command {
  return addCommonOptions(new Command("migrate:validate"))
    .description("Exit 1 if an applied migration is modified, missing or failed, or a pending one sorts before an applied one")
    .option("--json", "print one JSON document")
    .action(
      result.returning((flags: CommonOptions) =>
        withMigrator("migrate:validate", flags, false, async ({ migrator, out }) => {
          const problems = await migrator.validate();
          if (out.json) {
            // Every --json document carries the warnings (ignored files) a text run prints.
            out.document({ valid: problems.length === 0, problems, warnings: (await migrator.status()).warnings });
            return problems.length === 0 ? 0 : 1;
          }
          if (problems.length === 0) {
            out.line(`  ${out.color.green("OK")}  Applied migrations match their files.`);
            return 0;
          }
          for (const p of problems) out.error(`  ${out.color.red("INVALID")}  ${p.name} ${EXPLAIN[p.problem]}`);
          return 1;
        }),
      ),
    );
}
