import { interfaceNames, propertyKey } from "./names.js";
import type { ModelColumn, ModelTable, SchemaModel } from "./schema-model.js";
import { columnTsType, jsonSelect, type HelperType, type TypeOptions } from "./typescript-types.js";

/**
 * `mortar schema:types`: the schema as a TypeScript module in Kysely's conventions —
 * an interface per table, `export interface Database { table: Table }`, `Generated<T>`
 * for columns the database fills in, `ColumnType<Select, Insert, Update>` where what is
 * read differs from what may be written, `| null` for nullable columns.
 *
 * `ColumnType` has Kysely's exact shape (its three brand properties), so Kysely's
 * `Selectable`, `Insertable` and `Updateable` read these types as they read their own;
 * `Generated` is kysely-codegen's form, which also wraps a `ColumnType`. The output is a
 * function of the schema alone: no date, no host, the same bytes for the same schema.
 */

const HEADER = [
  "// Database types, written by `mortar schema:types` from the live %DIALECT% schema.",
  "// Do not edit: run the command again after a migration (or set `types.out` in mortar.config).",
  "// ColumnType has Kysely's shape, so `Kysely<Database>` and its Selectable/Insertable/Updateable read it.",
];

const CORE = `export type ColumnType<SelectType, InsertType = SelectType, UpdateType = SelectType> = {
  readonly __select__: SelectType;
  readonly __insert__: InsertType;
  readonly __update__: UpdateType;
};

/** A column the database fills in when an insert leaves it out (identity, auto-increment, default). */
export type Generated<T> = T extends ColumnType<infer S, infer I, infer U>
  ? ColumnType<S, I | undefined, U>
  : ColumnType<T, T | undefined, T>;`;

/** Each helper's definition, in the order the module lists them. */
function helperDefinitions(options: TypeOptions): Record<HelperType, string> {
  return {
    Flag: "/** MySQL's boolean (tinyint(1)): read as 0 or 1, written as a number or a boolean. */\nexport type Flag = ColumnType<number, number | boolean, number | boolean>;",
    Int8: "/** A 64-bit integer: node-postgres reads it as a string, so no precision is lost. */\nexport type Int8 = ColumnType<string, string | number | bigint, string | number | bigint>;",
    Json: `/** Read as the parsed value; written as JSON text (JSON.stringify), which every driver stores as is. */\nexport type Json = ColumnType<${jsonSelect(options).expression}, string, string>;`,
    JsonValue: "export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };",
    Numeric: "/** An exact decimal: read as a string, so no precision is lost. */\nexport type Numeric = ColumnType<string, string | number, string | number>;",
    Timestamp: "/** A date or time stamp: read as a Date, written as a Date or an ISO string. */\nexport type Timestamp = ColumnType<Date, Date | string, Date | string>;",
  };
}

const HELPER_ORDER: readonly HelperType[] = ["Flag", "Int8", "Json", "JsonValue", "Numeric", "Timestamp"];

export function renderTypes(model: SchemaModel, options: TypeOptions = {}): string {
  const typeOptions = options;
  const used = new Set<HelperType>();
  const typed = model.tables.map((table) => ({
    table,
    columns: table.columns.map((column) => {
      const type = columnTsType(column, model.dialect, typeOptions);
      for (const name of type.helpers) used.add(name);
      return { column, expression: columnExpression(column, type.expression) };
    }),
  }));
  const names = interfaceNames(
    model.tables.map((t) => t.name),
    new Set(["ColumnType", "Generated", "Database", ...HELPER_ORDER]),
  );
  const definitions = helperDefinitions(typeOptions);
  const sections = [
    HEADER.map((line) => line.replace("%DIALECT%", model.dialect)).join("\n"),
    CORE,
    ...HELPER_ORDER.filter((h) => used.has(h)).map((h) => definitions[h]),
    ...typed.map(({ table, columns }) => renderInterface(table, names.get(table.name)!, columns)),
    renderDatabase(model.tables, names),
  ];
  return `${sections.join("\n\n")}\n`;
}

/** `Generated<…>` when the database fills the column in; `| null` inside it when nullable. */
function columnExpression(column: ModelColumn, expression: string): string {
  const nullable = column.nullable ? `${expression} | null` : expression;
  return column.autoIncrement || column.default !== null ? `Generated<${nullable}>` : nullable;
}

function renderInterface(table: ModelTable, name: string, columns: readonly { column: ModelColumn; expression: string }[]): string {
  const lines = [
    ...(table.kind === "view" ? [`/** The view "${docText(table.name)}". */`] : []),
    `export interface ${name} {`,
    ...columns.flatMap(({ column, expression }) => [
      ...(column.comment ? [`  /** ${docText(column.comment)} */`] : []),
      `  ${propertyKey(column.name)}: ${expression};`,
    ]),
    "}",
  ];
  return lines.join("\n");
}

function renderDatabase(tables: readonly ModelTable[], names: ReadonlyMap<string, string>): string {
  return ["export interface Database {", ...tables.map((t) => `  ${propertyKey(t.name)}: ${names.get(t.name)};`), "}"].join("\n");
}

/** Text inside a `/** … *\/` comment: one line, and never its end marker. */
function docText(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").replaceAll("*/", "*\\/");
}
