import type { LintRule } from "../lint-rule.js";
import { commandOf, finding, liveColumn, majorVersion, NONE, q, qc, undecided, whenBusy } from "./rule-support.js";

/**
 * Constraints that must be checked against every existing row. Added in one step, the
 * check runs while the ALTER TABLE holds its lock; PostgreSQL can split it into a quick
 * NOT VALID step and a VALIDATE step that lets reads and writes go on.
 */

export const addForeignKeyValidating: LintRule = {
  id: "add-foreign-key-validating",
  dialects: ["postgres"],
  summary: "ADD FOREIGN KEY on a busy table blocks writes to both tables while every row is checked (PostgreSQL).",
  check(operation, context) {
    const command = commandOf(operation, "addForeignKey");
    if (!command) return NONE;
    const { name, referencedTable } = command.foreignKey;
    return whenBusy(command.table, context, (reason) =>
      finding(
        `Adding foreign key ${q(name)} takes SHARE ROW EXCLUSIVE locks on ${q(command.table)} and ${q(referencedTable)}, blocking writes to both while every row of ${q(command.table)} is checked (${reason}).`,
        `Run it with \`mortar migrate --safe\`, which adds the key NOT VALID (a short lock, no scan) and validates it in a step of its own (VALIDATE CONSTRAINT takes SHARE UPDATE EXCLUSIVE, so reads and writes go on).`,
      ),
    );
  },
};

export const addCheckValidating: LintRule = {
  id: "add-check-validating",
  dialects: ["postgres", "mysql"],
  summary: "A CHECK added to a busy table is verified against every row while the table is locked.",
  check(operation, context) {
    const command = commandOf(operation, "addColumn");
    if (!command) return NONE;
    const { column } = command;
    const checks = column.checks?.length ?? 0;
    // PostgreSQL writes an enum as varchar plus a named CHECK of its values.
    const enumCheck = context.dialect === "postgres" && column.type === "enum";
    if (checks === 0 && !enumCheck) return NONE;
    const what = checks > 0 ? "a CHECK constraint" : "the CHECK constraint PostgreSQL uses for an enum";
    const target = qc(command.table, column.name);
    if (context.dialect === "postgres") {
      return whenBusy(command.table, context, (reason) =>
        finding(
          `Adding ${target} with ${what} takes an ACCESS EXCLUSIVE lock on ${q(command.table)} (no reads, no writes) and scans every row to verify it (${reason}).`,
          `Run it with \`mortar migrate --safe\`, which adds checks on existing tables NOT VALID and validates them in a step of their own (SHARE UPDATE EXCLUSIVE: reads and writes go on).`,
        ),
      );
    }
    return whenBusy(command.table, context, (reason) =>
      finding(
        `Adding ${target} with a CHECK constraint needs ALGORITHM=COPY on MySQL/MariaDB: ${q(command.table)} is copied row by row and writes are blocked (LOCK=SHARED) until it is done (${reason}).`,
        `Add the column without \`check(…)\` and enforce the rule in the application, or add the check in a quiet window or with an online schema change tool (gh-ost, pt-online-schema-change).`,
      ),
    );
  },
};

export const setNotNull: LintRule = {
  id: "set-not-null",
  dialects: ["postgres"],
  summary: "Making an existing nullable column NOT NULL scans a busy table under ACCESS EXCLUSIVE (PostgreSQL).",
  check(operation, context) {
    const command = commandOf(operation, "changeColumn");
    if (!command || command.column.nullable) return NONE;
    const target = qc(command.table, command.column.name);
    return whenBusy(command.table, context, (reason) => {
      if (context.facts(command.table).columns === undefined) {
        return undecided(`whether ${target} allows NULL today is not known without the live schema (--offline), so it cannot tell whether this sets NOT NULL`);
      }
      const before = liveColumn(command.table, command.column.name, context);
      if (!before?.nullable) return NONE;
      const major = majorVersion(context.serverVersion);
      const fix =
        major !== undefined && major < 12
          ? `Backfill NULLs first; then add \`check (${command.column.name} is not null) not valid\` and VALIDATE it (run with \`mortar migrate --safe\`) instead of SET NOT NULL: PostgreSQL ${major} cannot use a validated check to skip the scan.`
          : `Backfill NULLs first, then run it with \`mortar migrate --safe\`, which adds \`check (${command.column.name} is not null) not valid\`, validates it without blocking writes, and then sets NOT NULL (PostgreSQL 12+ uses the validated check and skips the scan).`;
      return finding(
        `Setting ${target} NOT NULL takes an ACCESS EXCLUSIVE lock on ${q(command.table)} (no reads, no writes) and scans every row to prove there is no NULL (${reason}); it fails if any row holds NULL.`,
        fix,
      );
    });
  },
};
