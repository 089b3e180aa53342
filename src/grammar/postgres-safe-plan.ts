import type { CommandOf, IndexSpec, SchemaCommand } from "../schema/commands.js";
import type { LiveTable } from "../schema/live-schema.js";
import { type CompiledQuery, type Grammar, query } from "./grammar.js";
import type { SafePlan, SafeStep } from "./safe-plan.js";

/**
 * PostgreSQL safe execution of a command on a table that existed before the migration
 * (spec §9): indexes built and dropped CONCURRENTLY after the migration commits, foreign
 * keys added NOT VALID and validated in a step of their own, NOT NULL set through a
 * validated check (PostgreSQL 12+ then skips the table scan). Undefined: run as compiled.
 */
export function postgresSafePlan(
  grammar: Grammar,
  command: SchemaCommand,
  compiled: readonly CompiledQuery[],
  live: LiveTable | undefined,
): SafePlan | undefined {
  const q = (name: string) => grammar.quoteIdentifier(name);
  switch (command.kind) {
    case "addIndex":
      return addIndex(command, compiled, q);
    case "dropIndex": {
      // A unique index is a constraint here (dropped with ALTER TABLE, a brief lock); a primary key too.
      if (command.type === "primary" || command.type === "unique") return undefined;
      const step: SafeStep = {
        description: `drop index ${command.name} concurrently`,
        table: command.table,
        statements: [`drop index concurrently if exists ${q(command.name)}`],
        transactional: false,
      };
      return { now: [], later: [step], inline: compiled };
    }
    case "addForeignKey": {
      const fk = command.foreignKey;
      const [add, ...rest] = compiled;
      if (!add) return undefined;
      const validate: SafeStep = {
        description: `validate foreign key ${fk.name}`,
        table: command.table,
        statements: [`alter table ${q(command.table)} validate constraint ${q(fk.name)}`],
        transactional: true,
      };
      return { now: [query(`${add.sql} not valid`, add.parameters), ...rest], later: [validate], inline: validate.statements.map((s) => query(s)) };
    }
    case "changeColumn":
      return setNotNull(grammar, command, live, q);
    default:
      return undefined;
  }
}

function addIndex(command: CommandOf<"addIndex">, compiled: readonly CompiledQuery[], q: (name: string) => string): SafePlan | undefined {
  const index: IndexSpec = command.index;
  if (index.type === "primary") return undefined;
  const table = q(command.table);
  const name = q(index.name);
  const ordinary = compiled[0]?.sql ?? "";
  // The ordinary statement is `create index "i" on "t" …` or, for unique, an ALTER TABLE
  // adding a constraint: the concurrent build writes the index itself.
  const build =
    index.type === "unique"
      ? `create unique index concurrently ${name} on ${table} (${index.columns.map(q).join(", ")})`
      : ordinary.replace(/^create index /, "create index concurrently ");
  const dropInvalid = [`drop index concurrently if exists ${name}`];
  const steps: SafeStep[] = [
    { description: `create index ${index.name} concurrently`, table: command.table, statements: [build], transactional: false, onFailure: dropInvalid },
  ];
  if (index.type === "unique") {
    // Attaching a built index as the constraint takes a brief lock and no scan.
    steps.push({
      description: `attach unique index ${index.name} as a constraint`,
      table: command.table,
      statements: [`alter table ${table} add constraint ${name} unique using index ${name}`],
      transactional: true,
    });
  }
  return { now: [], later: steps, inline: compiled };
}

/**
 * change() making a nullable column required: the change runs without NOT NULL, then a
 * `CHECK (col IS NOT NULL) NOT VALID` is validated in a step of its own (a scan that
 * blocks no writes), and SET NOT NULL, which PostgreSQL 12+ proves from the check
 * without scanning, drops the check in the last step.
 */
function setNotNull(
  grammar: Grammar,
  command: CommandOf<"changeColumn">,
  live: LiveTable | undefined,
  q: (name: string) => string,
): SafePlan | undefined {
  const column = command.column;
  const before = live?.columns.find((c) => c.name === column.name);
  if (column.nullable || !before?.nullable || column.autoIncrement) return undefined;
  const relaxed = grammar.compileAgainstLive({ ...command, column: { ...column, nullable: true } }, live);
  const table = q(command.table);
  const check = q(`${column.name}_not_null`.slice(0, grammar.maxIdentifierLength));
  const addCheck = query(`alter table ${table} add constraint ${check} check (${q(column.name)} is not null) not valid`);
  const steps: SafeStep[] = [
    {
      description: `validate not null on ${command.table}.${column.name}`,
      table: command.table,
      statements: [`alter table ${table} validate constraint ${check}`],
      transactional: true,
    },
    {
      description: `set not null on ${command.table}.${column.name}`,
      table: command.table,
      statements: [`alter table ${table} alter column ${q(column.name)} set not null`, `alter table ${table} drop constraint ${check}`],
      transactional: true,
    },
  ];
  const inline = steps.flatMap((s) => s.statements.map((sql) => query(sql)));
  return { now: [...relaxed, addCheck], later: steps, inline };
}
