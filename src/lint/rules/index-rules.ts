import type { LintRule } from "../lint-rule.js";
import { commandOf, finding, NONE, q, whenBusy } from "./rule-support.js";

/**
 * Indexes and keys on busy tables. PostgreSQL's plain CREATE INDEX holds a SHARE lock
 * (reads go on, every write waits) for the whole build; MySQL/MariaDB InnoDB builds a
 * secondary index in place with LOCK=NONE, so only what can fail or rebuild is reported there.
 */

export const addIndexNotConcurrent: LintRule = {
  id: "add-index-not-concurrent",
  dialects: ["postgres"],
  summary: "CREATE INDEX without CONCURRENTLY on a busy table blocks writes for the whole build (PostgreSQL).",
  check(operation, context) {
    const command = commandOf(operation, "addIndex");
    if (!command || (command.index.type !== "index" && command.index.type !== "fulltext")) return NONE;
    return whenBusy(command.table, context, (reason) =>
      finding(
        `Creating index ${q(command.index.name)} takes a SHARE lock on ${q(command.table)}: reads go on, but every insert, update and delete waits until the whole index is built (${reason}).`,
        `Run it with \`mortar migrate --safe\` (or \`safe: true\` in the config), which builds indexes on existing tables CONCURRENTLY in a step of their own, outside the migration's transaction (and drops an INVALID index a failed build leaves).`,
      ),
    );
  },
};

export const dropIndexNotConcurrent: LintRule = {
  id: "drop-index-not-concurrent",
  dialects: ["postgres"],
  summary: "DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on a busy table (PostgreSQL).",
  check(operation, context) {
    const command = commandOf(operation, "dropIndex");
    if (!command || command.type === "primary") return NONE;
    const constraint = command.type === "unique";
    return whenBusy(command.table, context, (reason) =>
      finding(
        `Dropping ${constraint ? "unique constraint" : "index"} ${q(command.name)} takes an ACCESS EXCLUSIVE lock on ${q(command.table)}: it waits behind every running query on the table, and every query queues behind it, while ${reason}.`,
        constraint
          ? `Run it with \`mortar migrate --safe\`, so lock_timeout bounds the wait and the migration retries instead of queueing every query; a constraint's index cannot be dropped CONCURRENTLY.`
          : `Run it with \`mortar migrate --safe\`, which drops indexes of existing tables with DROP INDEX CONCURRENTLY, outside the migration's transaction.`,
      ),
    );
  },
};

export const addUniqueConstraint: LintRule = {
  id: "add-unique-constraint",
  dialects: ["postgres", "mysql"],
  summary: "A unique key added to a busy table: PostgreSQL builds its index under ACCESS EXCLUSIVE; any dialect fails on duplicates.",
  check(operation, context) {
    const command = commandOf(operation, "addIndex");
    if (!command || command.index.type !== "unique") return NONE;
    const columns = command.index.columns.map(q).join(", ");
    if (context.dialect === "postgres") {
      return whenBusy(command.table, context, (reason) =>
        finding(
          `Adding unique constraint ${q(command.index.name)} takes an ACCESS EXCLUSIVE lock on ${q(command.table)} (no reads, no writes) while its index is built over every row (${reason}); it also fails if ${columns} already holds duplicates.`,
          `Run it with \`mortar migrate --safe\`, which builds the unique index CONCURRENTLY and then attaches it with ADD CONSTRAINT … USING INDEX; remove duplicate values first (a concurrent build over duplicates fails and leaves no index behind).`,
        ),
      );
    }
    return whenBusy(command.table, context, (reason) =>
      finding(
        `Adding unique index ${q(command.index.name)} to ${q(command.table)} is built online (ALGORITHM=INPLACE, LOCK=NONE), but it fails if ${columns} already holds duplicate values, or if a duplicate is written during the build (${reason}).`,
        `Look for duplicates first (\`select ${command.index.columns.join(", ")}, count(*) from ${command.table} group by ${command.index.columns.join(", ")} having count(*) > 1\`), remove them, and deploy application code that writes unique values before this migration runs.`,
      ),
    );
  },
};

export const addPrimaryKey: LintRule = {
  id: "add-primary-key",
  dialects: ["postgres", "mysql", "sqlite"],
  summary: "A primary key added to a busy table: locks it and builds (or rebuilds) over every row.",
  check(operation, context) {
    const command = commandOf(operation, "addIndex");
    if (!command || command.index.type !== "primary") return NONE;
    const table = q(command.table);
    return whenBusy(command.table, context, (reason) => {
      switch (context.dialect) {
        case "postgres":
          return finding(
            `Adding primary key ${q(command.index.name)} takes an ACCESS EXCLUSIVE lock on ${table} (no reads, no writes) while it checks every row for NULLs and builds a unique index (${reason}).`,
            `Build the index first with \`mortar migrate --safe\` (\`table.unique([...])\`, built CONCURRENTLY), then attach it in a later migration: \`await this.db.execute('alter table ${table} add constraint ${q(command.index.name)} primary key using index "<that index>"')\`; the columns must already be NOT NULL.`,
          );
        case "mysql":
          return finding(
            `Adding primary key ${q(command.index.name)} rebuilds ${table}: InnoDB stores rows in primary key order, so every row is rewritten (${reason}); it fails on duplicate or NULL values.`,
            `Give the table its primary key when it is created; on an existing table run it in a quiet window, or with an online schema change tool (gh-ost, pt-online-schema-change), after checking for duplicates.`,
          );
        default:
          return finding(
            `SQLite cannot add a primary key in place: Mortar rebuilds ${table} (copies every row into a new table) while holding the database's write lock (${reason}).`,
            `Give the table its primary key when it is created; otherwise run it while the application is not writing.`,
          );
      }
    });
  },
};
