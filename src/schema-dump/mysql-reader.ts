import type { Database } from "../dialect/database.js";
import { byName, type ColumnModel, type IndexModel, type SchemaModel, type TableModel, type ViewModel } from "./model.js";

type Row = Record<string, unknown>;

/** information_schema text can come back as a Buffer (binary collations). */
function text(value: unknown): string {
  if (value === null || value === undefined) return "";
  return Buffer.isBuffer(value) ? value.toString("utf8") : String(value);
}

/**
 * SHOW CREATE TABLE's text without the AUTO_INCREMENT counter: the counter is data (how
 * many rows were ever inserted), not schema, and would make two equal schemas differ.
 */
export function withoutCounter(createTable: string): string {
  return createTable.replace(/ AUTO_INCREMENT=\d+/, "");
}

/**
 * SHOW CREATE VIEW's text without DEFINER: the account that created the view is the
 * server's business, and a dump must load under whoever runs it.
 */
export function withoutDefiner(createView: string): string {
  return createView.replace(/ DEFINER=(`(?:[^`]|``)*`|\w+)@(`(?:[^`]|``)*`|[\w.%-]+)/, "");
}

/**
 * The current database (`database()`) through information_schema for the structure and
 * SHOW CREATE TABLE / VIEW for the exact text a dump replays (MySQL has no other printer
 * of a key's expression or a table's options).
 */
export async function readMysqlModel(db: Database, options: { readonly definitionsOnly?: boolean } = {}): Promise<SchemaModel> {
  const tableRows = await db.read<Row>(
    "select table_name as `name`, table_type as `kind`, engine as `engine`, table_collation as `collation`, table_comment as `comment`, " +
      "create_options as `create_options` from information_schema.tables where table_schema = database()",
  );
  const columnRows = options.definitionsOnly ? [] : await db.read<Row>(
    "select table_name as `table`, column_name as `name`, collation_name as `collation`, generation_expression as `generation`, extra as `extra` " +
      "from information_schema.columns where table_schema = database() order by table_name, ordinal_position",
  );
  const tables: TableModel[] = [];
  const views: ViewModel[] = [];
  for (const row of tableRows) {
    const name = text(row.name);
    if (text(row.kind) === "VIEW") {
      const [shown] = await db.read<Row>(`show create view ${db.grammar.quoteIdentifier(name)}`);
      views.push({ name, definition: withoutDefiner(text(shown?.["Create View"])) });
      continue;
    }
    tables.push(options.definitionsOnly ? await readDefinition(db, name) : await readTable(db, row, columnRows.filter((c) => text(c.table) === name)));
  }
  return { dialect: "mysql", tables: tables.sort(byName), views: views.sort(byName), sequences: [], enumTypes: [] };
}

/**
 * A table with only its SHOW CREATE TABLE text: all a dump needs, without the
 * information_schema reads that cost MariaDB tens of milliseconds per table.
 */
async function readDefinition(db: Database, name: string): Promise<TableModel> {
  const [shown] = await db.read<Row>(`show create table ${db.grammar.quoteIdentifier(name)}`);
  const definition = withoutCounter(text(shown?.["Create Table"]));
  return { name, columns: [], indexes: [], foreignKeys: [], checks: [], comment: null, options: {}, definition, triggers: [] };
}

async function readTable(db: Database, row: Row, extraColumns: readonly Row[]): Promise<TableModel> {
  const name = text(row.name);
  const tableCollation = text(row.collation);
  const [shown] = await db.read<Row>(`show create table ${db.grammar.quoteIdentifier(name)}`);
  const definition = withoutCounter(text(shown?.["Create Table"]));
  const keyLines = definition.split("\n").map((line) => line.trim().replace(/,$/, ""));
  const introspector = db.introspector;
  const columns: ColumnModel[] = (await introspector.getColumns(name)).map((c) => {
    const extra = extraColumns.find((e) => text(e.name) === c.name);
    const collation = text(extra?.collation);
    const generation = text(extra?.generation);
    const generatedKind = /stored generated|persistent/i.test(text(extra?.extra)) ? "stored" : /virtual generated|virtual/i.test(text(extra?.extra)) ? "virtual" : null;
    const generated = generatedKind && generation !== "" && generation !== "NULL" ? generation : null;
    return {
      ...c,
      collation: collation !== "" && collation !== tableCollation ? collation : null,
      generated,
      generatedKind: generated ? generatedKind : null,
      identity: null,
    };
  });
  const indexes: IndexModel[] = (await introspector.getIndexes(name)).map((i) => ({
    ...i,
    definition: keyLines.find((line) => (i.primary ? line.startsWith("PRIMARY KEY ") : line.includes(` KEY ${db.grammar.quoteIdentifier(i.name)} `))) ?? null,
    constraint: false,
  }));
  const options: Record<string, string> = {};
  if (row.engine != null) options.engine = text(row.engine).toLowerCase();
  if (tableCollation !== "") options.collation = tableCollation;
  const createOptions = text(row.create_options).trim();
  if (createOptions !== "") options.createOptions = createOptions;
  const comment = text(row.comment);
  return {
    name,
    columns,
    indexes: indexes.sort(byName),
    foreignKeys: (await introspector.getForeignKeys(name)).map((fk) => ({ ...fk, definition: null })).sort(byName),
    checks: (await introspector.getChecks!(name)).map((c) => ({ name: c.name, expression: c.expression })).sort(byName),
    comment: comment === "" ? null : comment,
    options,
    definition,
    triggers: [],
  };
}
