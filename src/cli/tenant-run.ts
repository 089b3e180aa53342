import { loadConfig } from "../config/load-config.js";
import { redactSecrets } from "../config/redact.js";
import { TenantFleet, type TenantTask } from "../tenants/fleet.js";
import type { TenantReport, TenantResult } from "../tenants/tenant.js";
import { assertMigrationsFolderFor, type CommonOptions, type TenantFlags } from "./context.js";
import { EXIT_FAILURE, EXIT_OK } from "./exit-codes.js";
import { fleetProgress } from "./fleet-progress.js";
import { createOutput, dotted, type Output } from "./output.js";
import { confirmProduction } from "./production-guard.js";
import { renderFailure, renderWarnings } from "./render.js";

export interface FleetRunFlags extends CommonOptions, TenantFlags {
  readonly force?: boolean;
  readonly pretend?: boolean;
  readonly lockTimeout?: number;
}

/**
 * Run `task` on the fleet (`--tenants`, `--tenant ID`): one line per tenant as it ends
 * (a progress bar under them on a terminal), then a summary; with --json one report.
 * Exit 1 when any tenant failed, 2 for a bad `tenants` setting or flag.
 */
export async function runOnTenants(
  commandName: string,
  flags: FleetRunFlags,
  changesDatabase: boolean,
  task: TenantTask,
  /** A command's own reason to exit 1 beyond a failed tenant (`migrate:status --pending`). */
  alsoFails: (report: TenantReport) => boolean = () => false,
): Promise<number> {
  const out = createOutput({ json: Boolean(flags.json) });
  const verbose = Boolean(flags.verbose);
  try {
    const config = await loadConfig({ flags });
    assertMigrationsFolderFor(commandName, config.migrationsPath);
    if (changesDatabase && !flags.pretend) await confirmProduction(commandName, Boolean(flags.force));
    const fleet = new TenantFleet(config, {
      parallel: flags.parallel ?? 1,
      failFast: Boolean(flags.failFast),
      onlyFailed: Boolean(flags.onlyFailed),
      ...(flags.tenant !== undefined ? { tenant: flags.tenant } : {}),
      ...(flags.lockTimeout !== undefined ? { lockTimeoutMs: flags.lockTimeout * 1000 } : {}),
    });
    const progress = await fleetProgress(out);
    fleet.on("fleet:start", ({ total }) => progress.begin(total));
    fleet.on("tenant:end", (result) => progress.done(tenantLines(out, result), result.status === "failed"));
    const started = performance.now();
    let report: TenantReport;
    try {
      report = await fleet.run(task);
    } finally {
      progress.stop();
    }
    const exitCode = report.tenants.some((t) => t.status === "failed") || alsoFails(report) ? EXIT_FAILURE : EXIT_OK;
    if (out.json) {
      out.document({
        tenants: report.tenants.map(({ id, status, batch, migrations, error }) => ({ id, status, batch, migrations, ...(error ? { error } : {}) })),
        warnings: report.warnings,
      });
      return exitCode;
    }
    renderWarnings(out, report.warnings);
    out.line(summary(out, report, Math.round(performance.now() - started)));
    return exitCode;
  } catch (error) {
    return renderFailure(out, error, verbose);
  }
}

/** `acme ........ DONE  3 migrations  120ms`, and for a failure its error beneath. */
function tenantLines(out: Output, result: TenantResult): string[] {
  // Migrations run (or rolled back, or seeders run): a failed one is not counted.
  const done = result.migrations.filter((m) => (m as { status?: string }).status !== "failed").length;
  const count = `${done} ${done === 1 ? "migration" : "migrations"}`;
  const label =
    result.status === "ok"
      ? out.color.green("DONE")
      : result.status === "failed"
        ? out.color.red("FAIL")
        : out.color.yellow("SKIPPED");
  const detail = result.status === "skipped" ? label : `${out.color.gray(`${count}  ${formatDuration(result.durationMs)}`)} ${label}`;
  const lines = [dotted(result.id, detail)];
  if (result.error) {
    const message = redactSecrets(result.error.message).split("\n")[0]!;
    const where = result.error.migration && !message.includes(result.error.migration) ? `${result.error.migration}: ` : "";
    lines.push(`      ${out.color.red("ERROR")}  ${where}${message}`);
  }
  return lines;
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(1)}s`;
}

function summary(out: Output, report: TenantReport, wallMs: number): string {
  const count = (status: TenantResult["status"]) => report.tenants.filter((t) => t.status === status).length;
  const failed = count("failed");
  const text = `${report.tenants.length} ${report.tenants.length === 1 ? "tenant" : "tenants"}: ${count("ok")} ok, ${failed} failed, ${count("skipped")} skipped in ${formatDuration(wallMs)}.`;
  return `  ${failed > 0 ? out.color.red("FAIL") : out.color.gray("INFO")}  ${text}`;
}
