import type { SchemaCommand } from "../schema/commands.js";
import { type CompiledQuery, query } from "./grammar.js";
import type { SafePlan } from "./safe-plan.js";

/** The commands whose ALTER TABLE asks for an in-place, non-locking change. */
const ONLINE_KINDS = new Set<SchemaCommand["kind"]>([
  "addColumn",
  "changeColumn",
  "renameColumn",
  "dropColumns",
  "addIndex",
  "dropIndex",
  "renameIndex",
  "addForeignKey",
]);

/**
 * MySQL/MariaDB safe execution: every ALTER TABLE of a table that existed before the
 * migration asks for `ALGORITHM=INPLACE, LOCK=NONE`. Where the server can do it that
 * way (add/drop/rename an index or column, add a nullable column — MariaDB may do
 * those even INSTANT or NOCOPY, which INPLACE allows), nothing changes but the
 * guarantee; where it would copy the table or block writes (a column's type, a primary
 * key, a foreign key with foreign_key_checks on) the server refuses before it starts
 * (error 1846), and the run stops with that reason instead of copying a busy table.
 */
export function mysqlSafePlan(command: SchemaCommand, compiled: readonly CompiledQuery[]): SafePlan | undefined {
  if (!ONLINE_KINDS.has(command.kind)) return undefined;
  const now = compiled.map((statement) =>
    /^alter table /i.test(statement.sql) ? query(`${statement.sql}, algorithm=inplace, lock=none`, statement.parameters) : statement,
  );
  return { now, later: [], inline: [] };
}
