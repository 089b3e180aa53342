import type { LintContext, LintOperation, LintRule } from "../lint-rule.js";
import { changesData, changesSchema, excerpt, isPlainSelect } from "./raw-statements.js";
import { finding, NONE, q, tableOf } from "./rule-support.js";

/** Rules about raw statements, which Mortar records but cannot see inside. */

export const rawSql: LintRule = {
  id: "raw-sql",
  dialects: ["postgres", "mysql", "sqlite"],
  summary: "A raw statement (other than a plain SELECT) that lint cannot inspect.",
  check(operation) {
    if (operation.kind !== "raw" || isPlainSelect(operation.sql)) return NONE;
    return finding(
      `Raw statement \`${excerpt(operation.sql)}\` cannot be inspected: lint cannot tell whether it locks or rewrites a busy table, loses data or breaks running code.`,
      `Write it with the schema builder (\`this.schema.table(…)\`) where it can be, so lint and \`--safe\` understand it; otherwise review it and wrap it in \`this.safetyAssured(() => …)\` (or list "raw-sql" in \`static safe\`).`,
    );
  },
};

/**
 * The tables whose schema the migration changes and other sessions may be using: every
 * schema command but createTable on a table the migration did not create, named once each.
 */
function lockedTables(context: LintContext): string[] {
  const tables = new Set<string>();
  for (const operation of context.operations) {
    if (operation.kind !== "schema" || operation.command.kind === "createTable") continue;
    const table = tableOf(operation.command);
    if (!context.facts(table).createdInThisMigration) tables.add(table);
  }
  return [...tables];
}

/** Whether `operation` is the migration's first raw data change (the finding is made once). */
function firstDataChange(operation: LintOperation, context: LintContext): boolean {
  const first = context.operations.find((o) => o.kind === "raw" && changesData(o.sql));
  return first === undefined || first === operation;
}

export const mixedDdlAndDml: LintRule = {
  id: "mixed-ddl-and-dml",
  dialects: ["postgres"],
  summary: "A transactional migration that changes the schema and also changes rows: the DDL locks are held while the data changes run (PostgreSQL).",
  check(operation, context) {
    if (!context.transactional || operation.kind !== "raw" || !changesData(operation.sql)) return NONE;
    if (!firstDataChange(operation, context)) return NONE;
    const tables = lockedTables(context);
    const rawDdl = context.operations.some((o) => o.kind === "raw" && o !== operation && changesSchema(o.sql));
    if (tables.length === 0 && !rawDdl) return NONE;
    const named = tables.length > 0 ? tables.map(q).join(", ") : "the tables its raw DDL alters";
    return finding(
      `This migration changes the schema of ${named} and runs \`${excerpt(operation.sql)}\` in the same transaction: the locks its schema changes took (ACCESS EXCLUSIVE for most ALTER TABLE forms) are held until COMMIT, so ${tables.length === 1 ? "that table stays" : "those tables stay"} blocked for as long as the data change runs.`,
      `Move the data change into a migration of its own (or a background job that works in batches), so each transaction is short; keep schema changes and backfills apart.`,
    );
  },
};
