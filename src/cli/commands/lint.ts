import { Command, Option } from "commander";
import { loadConfig } from "../../config/load-config.js";
import { connect } from "../../dialect/connect.js";
import type { Database } from "../../dialect/database.js";
import { UsageError } from "../../errors.js";
import { discoverMigrations } from "../../migration/file-source.js";
import { lint, type LintResult } from "../../lint/lint-engine.js";
import { RULES } from "../../lint/rules/index.js";
import { toSarif } from "../../lint/sarif.js";
import { displayPath } from "../../util/display-path.js";
import type { ActionResult } from "../action-result.js";
import { connectionResolver } from "../../dialect/connection-resolver.js";
import { addCommonOptions, addTenantOptions, wantsFleet, type CommonOptions, type TenantFlags } from "../context.js";
import { runOnTenants } from "../tenant-run.js";
import { lintTask } from "../../tenants/tenant-tasks.js";
import { EXIT_FAILURE, EXIT_OK } from "../exit-codes.js";
import { createOutput, type Output } from "../output.js";
import { renderFailure, renderWarnings } from "../render.js";

interface LintFlags extends CommonOptions, TenantFlags {
  all?: boolean;
  offline?: boolean;
  format?: "text" | "json" | "sarif";
}

/**
 * `mortar lint` (spec §9): what each pending migration would do, checked against the
 * safety rules, without changing the database. Exit 1 on any finding the migrations did
 * not suppress, 0 otherwise, 2 on usage or configuration mistakes.
 */
export function lintCommand(result: ActionResult): Command {
  return addTenantOptions(addCommonOptions(new Command("lint")))
    .description("Report operations of pending migrations that can lock a busy table, rewrite it, lose data or break the running application")
    .option("--all", "lint every migration, not only the pending ones")
    .option("--offline", "never connect: lint the migration files alone (dialect from the configured driver)")
    .option("--json", "print one JSON document")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "sarif"]))
    .addHelpText("after", () => (RULES.length === 0 ? "" : `\nRules:\n${RULES.map((rule) => `  ${rule.id.padEnd(28)} ${rule.summary}`).join("\n")}\n`))
    .action(result.returning((flags: LintFlags) => runLint(flags)));
}

async function runLint(flags: LintFlags): Promise<number> {
  if (wantsFleet(flags)) {
    // Each tenant is linted against its own live schema; offline there is nothing per tenant to read.
    if (flags.offline) throw new UsageError("--offline lints the files alone: it has no tenants to run on (drop --tenants, or --offline)");
    if (flags.format === "sarif") throw new UsageError("--format sarif describes one database: use --json with --tenants");
    return runOnTenants("lint", flags, false, lintTask(Boolean(flags.all)));
  }
  const format = flags.format ?? (flags.json ? "json" : "text");
  const out = createOutput({ json: format !== "text" });
  const opened: Database[] = [];
  try {
    if (flags.json && format === "sarif") throw new UsageError("--json and --format sarif ask for two documents: give one");
    const config = await loadConfig({ flags });
    const options = { path: config.migrationsPath, table: config.migrationsTable, all: Boolean(flags.all) };
    let linted: LintResult;
    if (flags.offline) {
      linted = await lint({ ...options, dialect: config.connection.driver });
    } else {
      // A wrong folder fails before connecting: no SQLite file is left behind.
      await discoverMigrations(config.migrationsPath);
      const db = await connect(config.connection);
      opened.push(db);
      linted = await lint({ ...options, db, resolveConnection: connectionResolver(config, db, opened) });
    }
    const exitCode = linted.findings.length > 0 ? EXIT_FAILURE : EXIT_OK;
    if (format === "sarif") out.document(toSarif(linted));
    else if (format === "json") out.document(jsonDocument(linted));
    else renderText(out, linted);
    return exitCode;
  } catch (error) {
    return renderFailure(out, error, Boolean(flags.verbose));
  } finally {
    await Promise.allSettled(opened.map((db) => db.close()));
  }
}

function jsonDocument(result: LintResult): Record<string, unknown> {
  return {
    findings: result.findings.map(({ rule, migration, operation, dialect, message, fix }) => ({ rule, migration, operation, dialect, message, fix })),
    undecided: result.undecided,
    suppressed: result.suppressed,
    notes: result.notes,
    warnings: result.warnings,
  };
}

function renderText(out: Output, result: LintResult): void {
  renderWarnings(out, result.warnings);
  const files = new Map(result.migrations.map((m) => [m.name, displayPath(m.path)]));
  for (const f of result.findings) {
    out.line(`  ${out.color.red("FAIL")}  ${out.color.bold(f.rule)}  ${files.get(f.migration) ?? f.migration}`);
    out.line(`        ${f.operation} ${out.color.gray(`[${f.dialect}]`)}`);
    out.line(`        ${f.message}`);
    out.line(`        ${out.color.green("fix:")} ${f.fix}`);
    out.line();
  }
  for (const u of result.undecided) {
    out.line(`  ${out.color.yellow("NOTE")}  ${u.rule} could not decide on ${u.operation} in ${files.get(u.migration) ?? u.migration}: ${u.reason}`);
  }
  for (const note of result.notes) out.line(`  ${out.color.yellow("NOTE")}  ${note}`);
  const count = result.migrations.length;
  const linted = `${count} migration${count === 1 ? "" : "s"}`;
  const suppressed = result.suppressed > 0 ? `, ${result.suppressed} suppressed by the migrations` : "";
  if (result.findings.length === 0) {
    out.line(`  ${out.color.green("OK")}  No findings in ${linted}${suppressed}.`);
  } else {
    const n = result.findings.length;
    out.line(`  ${out.color.red("FAIL")}  ${n} finding${n === 1 ? "" : "s"} in ${linted}${suppressed}.`);
  }
}
