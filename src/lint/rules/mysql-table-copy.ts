import type { LintOperation, LintRule } from "../lint-rule.js";
import { commandOf, finding, NONE, q, qc, whenBusy } from "./rule-support.js";

/**
 * MySQL/MariaDB operations InnoDB can only do with ALGORITHM=COPY: a new table is built and
 * every row copied while writes wait (COPY cannot take LOCK=NONE). Type changes, checks and
 * primary keys have rules of their own (change-column-type, add-check-validating,
 * add-primary-key); this rule reports the copies no other rule names.
 */

interface Copy {
  readonly table: string;
  readonly what: string;
  readonly fix: string;
}

const ONLINE_TOOL = "or run it with an online schema change tool (gh-ost, pt-online-schema-change)";

function copyOf(operation: LintOperation): Copy | undefined {
  const foreignKey = commandOf(operation, "addForeignKey");
  if (foreignKey) {
    return {
      table: foreignKey.table,
      what: `Adding foreign key ${q(foreignKey.foreignKey.name)} with foreign_key_checks on (the default)`,
      fix: `Declare the foreign key when the table is created; on an existing table, if the data is known to be consistent, run \`set foreign_key_checks = 0\` before it in the migration (InnoDB then adds it in place without checking existing rows) and set it back to 1 after, ${ONLINE_TOOL}.`,
    };
  }
  const added = commandOf(operation, "addColumn");
  if (added?.column.generated?.kind === "stored") {
    return {
      table: added.table,
      what: `Adding stored generated column ${qc(added.table, added.column.name)}`,
      fix: `Use a virtual generated column (\`virtualAs(…)\`, added in place) and index it if it must be searched, ${ONLINE_TOOL}.`,
    };
  }
  const changed = commandOf(operation, "changeColumn");
  if (changed && (changed.column.charset !== undefined || changed.column.collation !== undefined)) {
    return {
      table: changed.table,
      what: `Changing the character set or collation of ${qc(changed.table, changed.column.name)}`,
      fix: `Leave out \`charset(…)\`/\`collation(…)\` when they are already the column's; otherwise add a new column with the new collation, backfill it in batches and switch to it, ${ONLINE_TOOL}.`,
    };
  }
  return undefined;
}

export const mysqlTableCopy: LintRule = {
  id: "mysql-table-copy",
  dialects: ["mysql"],
  summary: "An operation InnoDB can only do with ALGORITHM=COPY, blocking writes to a busy table while it is copied (MySQL/MariaDB).",
  check(operation, context) {
    const copy = copyOf(operation);
    if (!copy) return NONE;
    return whenBusy(copy.table, context, (reason) =>
      finding(
        `${copy.what} needs ALGORITHM=COPY: InnoDB copies every row of ${q(copy.table)} into a new table while writes are blocked (LOCK=SHARED, as LOCK=NONE is refused; ${reason}).`,
        copy.fix[0]!.toUpperCase() + copy.fix.slice(1),
      ),
    );
  },
};
