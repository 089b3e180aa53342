import { Command } from "commander";
import type { StatusRow } from "../../migration/plan.js";
import type { ActionResult } from "../action-result.js";
import { addCommonOptions, withMigrator, type CommonOptions } from "../context.js";
import { dotted, terminalWidth, type Output } from "../output.js";
import { renderWarnings } from "../render.js";

interface StatusFlags extends CommonOptions {
  pending?: boolean;
}

const LABELS: Record<StatusRow["status"], string> = {
  ran: "Ran",
  pending: "Pending",
  modified: "Modified",
  missing: "Missing",
  failed: "Failed",
};

export function statusCommand(result: ActionResult): Command {
  return addCommonOptions(new Command("migrate:status"))
    .description("Show each migration and whether it ran")
    .option("--pending", "list only pending migrations")
    .option("--json", "print one JSON document")
    .action(
      result.returning((flags: StatusFlags) =>
        withMigrator("migrate:status", flags, false, async ({ migrator, out }) => {
          const { migrations, warnings } = await migrator.status();
          const rows = flags.pending ? migrations.filter((m) => m.status === "pending") : migrations;
          if (out.json) {
            out.document({
              migrations: rows.map((m) => ({
                name: m.name,
                status: m.status,
                batch: m.batch,
                ...(m.partialStatement ? { mayHavePartlyRun: m.partialStatement } : {}),
              })),
              warnings,
            });
            return 0;
          }
          renderWarnings(out, warnings);
          if (rows.length === 0) {
            out.line(`  ${out.color.gray("INFO")}  ${flags.pending ? "No pending migrations." : "No migrations found."}`);
            return 0;
          }
          out.line(dotted(out.color.gray("Migration name"), out.color.gray("Batch / Status")));
          const width = terminalWidth();
          out.lines(
            rows.flatMap((row) => [
              dotted(row.name, label(out, row), width),
              ...(row.partialStatement ? [`      ${out.color.red("may have partly run:")} ${row.partialStatement}`] : []),
            ]),
          );
          return 0;
        }),
      ),
    );
}

function label(out: Output, row: StatusRow): string {
  const text = LABELS[row.status];
  const batch = row.batch !== null ? `[${row.batch}] ` : "";
  switch (row.status) {
    case "ran":
      return `${batch}${out.color.green(text)}`;
    case "pending":
      return out.color.yellow(text);
    default:
      return `${batch}${out.color.red(text)}`;
  }
}
