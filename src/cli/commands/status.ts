import { Command } from "commander";
import type { StatusRow } from "../../migration/plan.js";
import { readRunTimes, type RunTime } from "../../migration/run-times.js";
import type { ActionResult } from "../action-result.js";
import { statusTask } from "../../tenants/tenant-tasks.js";
import { addCommonOptions, addTenantOptions, wantsFleet, withMigrator, type CommonOptions, type TenantFlags } from "../context.js";
import { runOnTenants } from "../tenant-run.js";
import { EXIT_FAILURE, EXIT_OK } from "../exit-codes.js";
import { dotted, terminalWidth, type Output } from "../output.js";
import { renderWarnings } from "../render.js";
import { localDateTime } from "../time-format.js";

interface StatusFlags extends CommonOptions, TenantFlags {
  pending?: boolean;
}

const LABELS: Record<StatusRow["status"], string> = {
  ran: "Ran",
  pending: "Pending",
  modified: "Modified",
  missing: "Missing",
  failed: "Failed",
};

const NO_TIME: RunTime = { executedAt: null, durationMs: null };

/**
 * Each migration's batch and state, and for an applied one when it ran and how long it
 * took. `--pending` lists only pending migrations and exits 1 when there are any: a CI
 * check that the database is up to date.
 */
export function statusCommand(result: ActionResult): Command {
  return addTenantOptions(addCommonOptions(new Command("migrate:status")))
    .description("Show each migration, whether it ran, when and how long it took")
    .option("--pending", "list only pending migrations; exit 1 when there are any")
    .option("--json", "print one JSON document")
    .action(
      result.returning((flags: StatusFlags) =>
        wantsFleet(flags)
          ? // --pending over a fleet: exit 1 when any tenant has a pending migration.
            runOnTenants("migrate:status", flags, false, statusTask(Boolean(flags.pending)), (report) =>
              Boolean(flags.pending) && report.tenants.some((t) => (t.migrations as readonly { status?: string }[]).some((m) => m.status === "pending")),
            )
          : withMigrator("migrate:status", flags, false, async ({ migrator, db, config, out }) => {
          const { migrations, warnings } = await migrator.status();
          const rows = flags.pending ? migrations.filter((m) => m.status === "pending") : migrations;
          const times = rows.some((m) => m.status !== "pending") ? await readRunTimes(db, config.migrationsTable) : new Map<string, RunTime>();
          const exitCode = flags.pending && rows.length > 0 ? EXIT_FAILURE : EXIT_OK;
          if (out.json) {
            out.document({
              migrations: rows.map((m) => {
                const time = times.get(m.name) ?? NO_TIME;
                return {
                  name: m.name,
                  status: m.status,
                  batch: m.batch,
                  executedAt: time.executedAt?.toISOString() ?? null,
                  durationMs: time.durationMs,
                  ...(m.partialStatement ? { mayHavePartlyRun: m.partialStatement } : {}),
                  ...(m.step ? { step: m.step } : {}),
                };
              }),
              warnings,
            });
            return exitCode;
          }
          renderWarnings(out, warnings);
          if (rows.length === 0) {
            out.line(`  ${out.color.gray("INFO")}  ${flags.pending ? "No pending migrations." : "No migrations found."}`);
            return exitCode;
          }
          out.line(dotted(out.color.gray("Migration name"), out.color.gray("Batch / Status / Ran at / Duration")));
          const width = terminalWidth();
          out.lines(
            rows.flatMap((row) => [
              dotted(row.name, label(out, row, times.get(row.name) ?? NO_TIME), width),
              ...(row.partialStatement ? [`      ${out.color.red("may have partly run:")} ${row.partialStatement}`] : []),
            ]),
          );
          return exitCode;
        }),
      ),
    );
}

function label(out: Output, row: StatusRow, time: RunTime): string {
  // A safe run stopped between the steps after its commit (`migrate --safe` continues it).
  const text = row.step ? `Partial (step ${row.step.done + 1}/${row.step.total})` : LABELS[row.status];
  const batch = row.batch !== null ? `[${row.batch}] ` : "";
  const when = [time.executedAt ? localDateTime(time.executedAt) : undefined, time.durationMs !== null ? `${time.durationMs}ms` : undefined]
    .filter((part) => part !== undefined)
    .join("  ");
  const suffix = when ? `  ${out.color.gray(when)}` : "";
  switch (row.status) {
    case "ran":
      return `${batch}${out.color.green(text)}${suffix}`;
    case "pending":
      return out.color.yellow(text);
    default:
      return `${batch}${out.color.red(text)}${suffix}`;
  }
}
