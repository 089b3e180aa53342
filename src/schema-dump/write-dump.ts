import type { Grammar } from "../grammar/grammar.js";
import type { SchemaModel, TableModel } from "./model.js";
import { orderViews } from "./view-order.js";

/**
 * The statements that recreate `model`, in an order they can run in, without the
 * tracking rows. Pure: the same model always gives the same statements.
 */
export function schemaStatements(model: SchemaModel, grammar: Grammar): string[] {
  switch (model.dialect) {
    case "sqlite":
      return sqliteStatements(model);
    case "postgres":
      return postgresStatements(model, grammar);
    case "mysql":
      return mysqlStatements(model);
  }
}

/** SQLite replays its own kept text; a foreign key may name a table created later. */
function sqliteStatements(model: SchemaModel): string[] {
  return [
    ...model.tables.map((t) => t.definition ?? ""),
    ...model.tables.flatMap((t) => t.indexes.flatMap((i) => (i.definition ? [i.definition] : []))),
    ...orderViews(model.views).map((v) => v.definition),
    ...model.tables.flatMap((t) => t.triggers.map((trigger) => trigger.definition)),
  ];
}

/**
 * MySQL replays SHOW CREATE TABLE (foreign keys inline: checks are off while loading,
 * so tables go in name order) and SHOW CREATE VIEW without its DEFINER.
 */
function mysqlStatements(model: SchemaModel): string[] {
  return [
    "set foreign_key_checks = 0",
    ...model.tables.map((t) => t.definition ?? ""),
    ...orderViews(model.views).map((v) => v.definition),
    "set foreign_key_checks = 1",
  ];
}

/**
 * PostgreSQL has no SHOW CREATE TABLE: tables are written from the catalog as pg_dump
 * lays them out — types and sequences, bare tables, then keys and checks, then foreign
 * keys (every referenced key exists by then), indexes, sequence ownership, views, comments.
 */
function postgresStatements(model: SchemaModel, g: Grammar): string[] {
  const q = (name: string) => g.quoteIdentifier(name);
  const statements: string[] = [];
  for (const type of model.enumTypes) {
    statements.push(`create type ${q(type.name)} as enum (${type.values.map((v) => g.literal(v)).join(", ")})`);
  }
  for (const s of model.sequences) {
    statements.push(
      `create sequence ${q(s.name)} as ${s.type} start with ${s.start} increment by ${s.increment} minvalue ${s.min} maxvalue ${s.max} cache ${s.cache}${s.cycle ? " cycle" : " no cycle"}`,
    );
  }
  for (const table of model.tables) statements.push(createPostgresTable(table, g));
  for (const table of model.tables) {
    const constraints = [
      ...table.indexes.filter((i) => i.constraint).map((i) => [i.name, i.definition ?? ""] as const),
      ...table.checks.map((c) => [c.name, `CHECK ${c.expression}`] as const),
    ].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const [name, definition] of constraints) statements.push(`alter table ${q(table.name)} add constraint ${q(name)} ${definition}`);
  }
  for (const table of model.tables) {
    for (const fk of table.foreignKeys) statements.push(`alter table ${q(table.name)} add constraint ${q(fk.name)} ${fk.definition ?? ""}`);
  }
  for (const table of model.tables) {
    for (const index of table.indexes) if (!index.constraint && index.definition) statements.push(index.definition);
  }
  for (const s of model.sequences) if (s.ownedBy) statements.push(`alter sequence ${q(s.name)} owned by ${s.ownedBy}`);
  for (const view of orderViews(model.views)) statements.push(`create view ${q(view.name)} as\n${view.definition.replace(/;$/, "")}`);
  for (const table of model.tables) {
    if (table.comment !== null) statements.push(`comment on table ${q(table.name)} is ${g.literal(table.comment)}`);
    for (const c of table.columns) {
      if (c.comment !== null) statements.push(`comment on column ${q(table.name)}.${q(c.name)} is ${g.literal(c.comment)}`);
    }
  }
  return statements;
}

function createPostgresTable(table: TableModel, g: Grammar): string {
  const columns = table.columns.map((c) => {
    let sql = `  ${g.quoteIdentifier(c.name)} ${c.type}`;
    if (c.collation) sql += ` collate ${c.collation}`;
    if (c.generated !== null) sql += ` generated always as (${c.generated}) stored`;
    else if (c.identity !== null) sql += ` generated ${c.identity.replace(/^(always|by default)/, "$1 as identity")}`;
    else if (c.default !== null) sql += ` default ${c.default}`;
    if (!c.nullable) sql += " not null";
    return sql;
  });
  return `create table ${g.quoteIdentifier(table.name)} (\n${columns.join(",\n")}\n)`;
}
