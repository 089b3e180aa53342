import { RawExpression } from "../../schema/commands.js";
import type { ColumnSpec } from "../../schema/commands.js";
import type { LintRule, RuleOutcome } from "../lint-rule.js";
import { canonicalPostgresType, mysqlChangeCopies, mysqlTypeOf, postgresChangeRewrites, postgresTypeOf } from "./column-type-change.js";
import { commandOf, finding, liveColumn, majorVersion, NONE, q, qc, undecided, whenBusy } from "./rule-support.js";

/** Adding and changing columns: what fails on existing rows, and what rewrites them. */

/** Whether the database fills the new column itself, so existing rows get a value. */
function fillsItself(column: ColumnSpec): boolean {
  return column.default != null || column.useCurrent || column.autoIncrement || column.generated !== undefined;
}

export const addRequiredColumn: LintRule = {
  id: "add-required-column",
  dialects: ["postgres", "mysql", "sqlite"],
  summary: "A NOT NULL column without a default added to a table that holds rows.",
  check(operation, context) {
    const command = commandOf(operation, "addColumn");
    if (!command || command.column.nullable || fillsItself(command.column)) return NONE;
    const target = qc(command.table, command.column.name);
    const fix = `Add it nullable (\`.nullable()\`), backfill it, then make it required with \`.change()\` in a later migration (under \`mortar migrate --safe\` on PostgreSQL), or give it a \`.default(…)\`.`;
    return whenBusy(command.table, context, (reason) => {
      switch (context.dialect) {
        case "mysql":
          return finding(
            `Adding ${target} NOT NULL without a default fills every existing row with the type's implicit default (0 for numbers, '' for strings), even in strict mode (${reason}): the rows silently get a value nobody chose.`,
            fix,
          );
        case "sqlite":
          return finding(`Adding ${target} NOT NULL without a default fails with "NOT NULL constraint failed" on a table with rows (${reason}).`, fix);
        default:
          return finding(`Adding ${target} NOT NULL without a default fails with "column contains null values" on a table with rows (${reason}).`, fix);
      }
    });
  },
};

/** Functions PostgreSQL marks volatile that people use as defaults. */
const VOLATILE_CALL = /\b(random|gen_random_uuid|uuid_generate_v1|uuid_generate_v1mc|uuid_generate_v4|clock_timestamp|timeofday|nextval|txid_current)\s*\(/i;

/** Why adding `column` rewrites a PostgreSQL table, or undefined when it does not. */
function rewriteCause(column: ColumnSpec, serverMajor: number | undefined): string | undefined {
  if (column.generated?.kind === "stored") return "a stored generated column is computed for every existing row";
  if (column.default instanceof RawExpression && VOLATILE_CALL.test(column.default.sql)) {
    return `its default \`${column.default.sql}\` is volatile, so it is evaluated and written for every existing row`;
  }
  const hasDefault = column.default != null || column.useCurrent;
  if (hasDefault && serverMajor !== undefined && serverMajor < 11) {
    return `PostgreSQL ${serverMajor} writes any default into every existing row (11+ stores a constant default without a rewrite)`;
  }
  return undefined;
}

export const addColumnVolatileDefault: LintRule = {
  id: "add-column-volatile-default",
  dialects: ["postgres"],
  summary: "A column whose default (or stored expression) must be written into every row rewrites a busy table (PostgreSQL).",
  check(operation, context) {
    const command = commandOf(operation, "addColumn");
    if (!command) return NONE;
    const cause = rewriteCause(command.column, majorVersion(context.serverVersion));
    if (!cause) return NONE;
    const target = qc(command.table, command.column.name);
    return whenBusy(command.table, context, (reason) =>
      finding(
        `Adding ${target} rewrites the whole table under an ACCESS EXCLUSIVE lock (no reads, no writes): ${cause} (${reason}).`,
        `Add the column without the default (or with a constant one), backfill it in batches from a separate migration or job, then set the default with \`.change()\`; for a stored expression, add a nullable column and fill it the same way.`,
      ),
    );
  },
};

export const changeColumnType: LintRule = {
  id: "change-column-type",
  dialects: ["postgres", "mysql"],
  summary: "Changing a column's type rewrites (PostgreSQL) or copies (MySQL/MariaDB) a busy table, except the safe widenings.",
  check(operation, context) {
    const command = commandOf(operation, "changeColumn");
    if (!command) return NONE;
    const { table, column } = command;
    const target = qc(table, column.name);
    return whenBusy(table, context, (reason): readonly RuleOutcome[] => {
      if (context.facts(table).columns === undefined) {
        return undecided(`the current type of ${target} is not known without the live schema (--offline), so it cannot tell whether the change rewrites the table`);
      }
      const before = liveColumn(table, column.name, context);
      if (!before) return NONE;
      if (context.dialect === "postgres") {
        const [from, to] = [canonicalPostgresType(before.type), postgresTypeOf(column)];
        if (!postgresChangeRewrites(from, to)) return NONE;
        return finding(
          `Changing ${target} from ${from} to ${to} rewrites the whole table and its indexes under an ACCESS EXCLUSIVE lock (no reads, no writes; ${reason}).`,
          `Add a new column of the new type, write to both from the application, backfill it in batches, switch reads, then drop the old column in a later migration. Widening varchar(n) to varchar(m ≥ n) or text, or numeric(p,s) to numeric(q ≥ p,s), needs no rewrite.`,
        );
      }
      if (!mysqlChangeCopies(before, column)) return NONE;
      return finding(
        `Changing ${target} from ${before.type} to ${mysqlTypeOf(column)} needs ALGORITHM=COPY: every row of ${q(table)} is copied while writes are blocked (LOCK=SHARED; ${reason}).`,
        `Add a new column, backfill it in batches, switch the application, then drop the old one; or run it with an online schema change tool (gh-ost, pt-online-schema-change). A varchar widened within the same length-byte class (both at most 255 bytes, or both above) and enum values appended at the end are changed in place.`,
      );
    });
  },
};

export const jsonNotJsonb: LintRule = {
  id: "json-not-jsonb",
  dialects: ["postgres"],
  summary: "A json column on PostgreSQL, where jsonb is what applications want.",
  check(operation, context) {
    if (operation.kind !== "schema") return NONE;
    const command = operation.command;
    let table: string;
    let columns: readonly ColumnSpec[];
    if (command.kind === "createTable") [table, columns] = [command.table, command.columns];
    else if (command.kind === "addColumn") [table, columns] = [command.table, [command.column]];
    else if (command.kind === "changeColumn") {
      if (liveColumn(command.table, command.column.name, context)?.typeName === "json") return NONE;
      [table, columns] = [command.table, [command.column]];
    } else return NONE;
    return columns
      .filter((column) => column.type === "json")
      .map((column) => ({
        kind: "finding" as const,
        message: `${qc(table, column.name)} is json: PostgreSQL stores the text as written and parses it again on every use, and json has no equality operator, so SELECT DISTINCT, GROUP BY and UNIQUE on it fail and it cannot take a GIN index.`,
        fix: `Use \`table.jsonb(${JSON.stringify(column.name)})\` instead (unless the exact text, key order and duplicate keys must be kept).`,
      }));
  },
};
