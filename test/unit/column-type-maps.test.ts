import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { UnsupportedOperationError } from "../../src/errors.js";
import type { Grammar } from "../../src/grammar/grammar.js";
import { MysqlGrammar } from "../../src/grammar/mysql-grammar.js";
import { PostgresGrammar } from "../../src/grammar/postgres-grammar.js";
import { SqliteGrammar } from "../../src/grammar/sqlite-grammar.js";
import { Blueprint } from "../../src/schema/blueprint.js";
import {
  COLUMN_TYPES,
  isIntegerColumn,
  type ColumnModifiers,
  type ColumnSpec,
  type ColumnType,
  type SchemaCommand,
  type TypedColumn,
} from "../../src/schema/commands.js";

/**
 * Every column type, made through the Blueprint method of the same name, must map to a
 * complete SQL type in every dialect, or be refused by name. The compiler already
 * demands one entry per type in each dialect's ColumnTypeMap; this holds what it cannot
 * see: that the Blueprint fills each type's parameters, so no grammar writes `undefined`.
 */

const GRAMMARS: readonly Grammar[] = [new SqliteGrammar(), new PostgresGrammar(), new MysqlGrammar()];

/** What each dialect cannot store, and must refuse naming the column and type. */
const REFUSED: Readonly<Record<string, readonly ColumnType[]>> = { sqlite: ["point", "geometry"], postgres: [], mysql: [] };

function columnOf(type: ColumnType, grammar: Grammar): ColumnSpec {
  const bp = new Blueprint("t", "create", { maxIdentifierLength: grammar.maxIdentifierLength });
  // Every column type has a Blueprint method of its own name; enum alone needs an argument.
  if (type === "enum") bp.enum("c", ["a", "b"]);
  else (bp[type] as (name: string) => unknown).call(bp, "c");
  const [command] = bp.toCommands() as Extract<SchemaCommand, { kind: "createTable" }>[];
  assert.equal(command?.columns.length, 1);
  return command!.columns[0]!;
}

function addColumn(grammar: Grammar, column: ColumnSpec): string {
  return grammar.compile([{ kind: "addColumn", table: "t", column: { ...column, nullable: true } }])[0]!.sql;
}

describe("column type maps", () => {
  for (const grammar of GRAMMARS) {
    test(`${grammar.dialect}: every column type maps to a complete SQL type or is refused by name`, () => {
      for (const type of COLUMN_TYPES) {
        const column = columnOf(type, grammar);
        assert.equal(column.type, type);
        if (REFUSED[grammar.dialect]!.includes(type)) {
          assert.throws(
            () => addColumn(grammar, column),
            (error: unknown) =>
              error instanceof UnsupportedOperationError &&
              error.dialect === grammar.dialect &&
              error.message.includes(`"c" (${type})`),
            `${grammar.dialect} refuses ${type}`,
          );
          continue;
        }
        const sql = addColumn(grammar, column);
        assert.match(sql, /^alter table \S+ add (column )?\S+ [a-z]/, `${grammar.dialect} ${type}: ${sql}`);
        assert.doesNotMatch(sql, /undefined|NaN|null\)|\(\)/, `${grammar.dialect} ${type}: ${sql}`);
      }
    });
  }

  test("the Blueprint fills every parameter a type takes", () => {
    const grammar = new PostgresGrammar();
    const parameters = (type: ColumnType) => {
      const { type: _type, ...rest } = columnOf(type, grammar) as ColumnModifiers & TypedColumn & Record<string, unknown>;
      for (const key of ["name", "unsigned", "nullable", "autoIncrement", "primary", "useCurrent", "useCurrentOnUpdate", "first"]) {
        delete rest[key];
      }
      return rest;
    };
    assert.deepEqual(parameters("string"), { length: 255 });
    assert.deepEqual(parameters("char"), { length: 255 });
    assert.deepEqual(parameters("decimal"), { precision: 8, scale: 2 });
    assert.deepEqual(parameters("enum"), { values: ["a", "b"] });
    assert.deepEqual(parameters("text"), {});
    assert.deepEqual(parameters("integer"), {});
  });

  test("isIntegerColumn is true for the integer types only", () => {
    const grammar = new SqliteGrammar();
    const integers = COLUMN_TYPES.filter((type) => isIntegerColumn(columnOf(type, grammar)));
    assert.deepEqual(integers, ["integer", "bigInteger", "smallInteger", "tinyInteger", "mediumInteger"]);
  });
});

// ── compile-time checks: `npm run build` fails if one of these lines stops being an error ──

/** Never called: its body is what the compiler checks. */
export function typeChecks(modifiers: ColumnModifiers): ColumnSpec[] {
  return [
    { ...modifiers, type: "string", length: 20 },
    { ...modifiers, type: "decimal", precision: 10, scale: 2 },
    { ...modifiers, type: "enum", values: ["a"] },
    { ...modifiers, type: "text" },
    // @ts-expect-error a string column cannot be made without its length
    { ...modifiers, type: "string" },
    // @ts-expect-error a decimal column cannot be made without its scale
    { ...modifiers, type: "decimal", precision: 10 },
    // @ts-expect-error an enum column cannot be made without its values
    { ...modifiers, type: "enum" },
    // @ts-expect-error an unknown column type is not a ColumnSpec
    { ...modifiers, type: "money" },
  ];
}
