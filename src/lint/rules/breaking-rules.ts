import type { LintContext, LintRule } from "../lint-rule.js";
import { commandOf, finding, formatRows, knownToRunningCode, NONE, q, qc } from "./rule-support.js";

/**
 * Changes that break the application version still running while the migration runs (a
 * deploy migrates first and swaps code after), whatever the table's size or dialect.
 * Nothing is reported for a table the running code cannot know yet.
 */

const ALL_DIALECTS = ["postgres", "mysql", "sqlite"] as const;

/** ` (about 1,200 rows)`, when the live row estimate is known. */
function rowsNote(table: string, context: LintContext): string {
  const rows = context.facts(table).rowEstimate;
  return rows === undefined ? "" : ` (about ${formatRows(rows)} ${Math.round(rows) === 1 ? "row" : "rows"})`;
}

export const renameColumn: LintRule = {
  id: "rename-column",
  dialects: ALL_DIALECTS,
  summary: "Renaming a column breaks the running application, which still uses the old name.",
  check(operation, context) {
    const command = commandOf(operation, "renameColumn");
    if (!command || !knownToRunningCode(command.table, context)) return NONE;
    return finding(
      `Renaming ${qc(command.table, command.from)} to ${q(command.to)} breaks the application version still running: its queries name ${q(command.from)} until the new code is deployed.`,
      `Add ${q(command.to)} as a new column, write to both from the application, backfill it, switch reads and deploy, then drop ${q(command.from)} in a later migration.`,
    );
  },
};

export const renameTable: LintRule = {
  id: "rename-table",
  dialects: ALL_DIALECTS,
  summary: "Renaming a table breaks the running application, which still uses the old name.",
  check(operation, context) {
    const command = commandOf(operation, "renameTable");
    if (!command || !knownToRunningCode(command.from, context)) return NONE;
    return finding(
      `Renaming ${q(command.from)} to ${q(command.to)} breaks the application version still running: its queries name ${q(command.from)} until the new code is deployed.`,
      `Rename it and, in the same migration, create a view with the old name (\`await this.db.execute('create view ${q(command.from)} as select * from ${q(command.to)}')\`) until every running version uses ${q(command.to)}; or create the new table, write to both, backfill, switch, and drop the old one later.`,
    );
  },
};

export const dropColumn: LintRule = {
  id: "drop-column",
  dialects: ALL_DIALECTS,
  summary: "Dropping a column loses its data and breaks the running application that still selects it.",
  check(operation, context) {
    const command = commandOf(operation, "dropColumns");
    if (!command || !knownToRunningCode(command.table, context)) return NONE;
    const columns = command.columns.map((c) => qc(command.table, c)).join(", ");
    return finding(
      `Dropping ${columns} deletes ${command.columns.length === 1 ? "its" : "their"} data${rowsNote(command.table, context)} and breaks the application version still running, which selects and writes ${command.columns.length === 1 ? "it" : "them"} (an ORM that lists columns fails on every query of ${q(command.table)}).`,
      `First deploy application code that no longer reads or writes ${command.columns.length === 1 ? "the column" : "the columns"} (for an ORM, ignore ${command.columns.length === 1 ? "it" : "them"} in the model), then drop ${command.columns.length === 1 ? "it" : "them"} in a later migration with \`static safe = ["drop-column"]\`.`,
    );
  },
};

export const dropTable: LintRule = {
  id: "drop-table",
  dialects: ALL_DIALECTS,
  summary: "Dropping a table loses its rows and breaks the running application that still uses it.",
  check(operation, context) {
    const command = commandOf(operation, "dropTable");
    if (!command || !knownToRunningCode(command.table, context)) return NONE;
    return finding(
      `Dropping ${q(command.table)} deletes the table and every row in it${rowsNote(command.table, context)} for good, and breaks the application version still running if it uses the table.`,
      `Deploy application code that no longer uses ${q(command.table)} first, keep a backup (or \`schema:dump\` plus a data export) if its rows may be needed, then mark the migration \`static safe = ["drop-table"]\`.`,
    );
  },
};
