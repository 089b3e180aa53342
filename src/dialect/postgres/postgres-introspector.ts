import type { CheckInfo, ColumnInfo, ForeignKeyInfo, IndexInfo, Introspector, Queryable } from "../dialect.js";

/** pg_constraint's one-letter referential actions. */
const ACTIONS: Record<string, string> = {
  a: "no action",
  r: "restrict",
  c: "cascade",
  n: "set null",
  d: "set default",
};

/** The relation `$1` in the schema that unqualified names resolve to. */
const RELATION = `c.relname = $1 and c.relnamespace = (select oid from pg_catalog.pg_namespace where nspname = current_schema())`;

/** Kinds of relation that count as tables: plain and partitioned. */
const TABLE_KINDS = "'r', 'p'";

const TABLES_SQL = `select c.relname::text as name from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where n.nspname = current_schema() and c.relkind in (%KINDS%)
order by c.relname`;

const COLUMNS_SQL = `select a.attname::text as name,
  t.typname::text as type_name,
  pg_catalog.format_type(a.atttypid, a.atttypmod) as type,
  not a.attnotnull as nullable,
  case when a.attgenerated = '' then pg_catalog.pg_get_expr(d.adbin, d.adrelid) end as "default",
  a.attidentity <> '' or coalesce(pg_catalog.pg_get_expr(d.adbin, d.adrelid) like 'nextval(%::regclass)', false) as auto_increment,
  pg_catalog.col_description(c.oid, a.attnum) as comment
from pg_catalog.pg_attribute a
join pg_catalog.pg_class c on c.oid = a.attrelid
join pg_catalog.pg_type t on t.oid = a.atttypid
left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
where ${RELATION} and c.relkind in ('r', 'p', 'v', 'm', 'f') and a.attnum > 0 and not a.attisdropped
order by a.attnum`;

// indkey is 0-based; a 0 entry is an expression, whose text only pg_get_indexdef (1-based) gives.
const INDEXES_SQL = `select ic.relname::text as name,
  am.amname::text as type,
  i.indisunique as "unique",
  i.indisprimary as "primary",
  array(
    select coalesce(a.attname::text, pg_catalog.pg_get_indexdef(i.indexrelid, k.n + 1, true))
    from generate_series(0, i.indnkeyatts - 1) as k(n)
    left join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[k.n] and i.indkey[k.n] <> 0
    order by k.n
  ) as columns
from pg_catalog.pg_index i
join pg_catalog.pg_class c on c.oid = i.indrelid
join pg_catalog.pg_class ic on ic.oid = i.indexrelid
join pg_catalog.pg_am am on am.oid = ic.relam
where ${RELATION}
order by ic.relname`;

/** A constraint's column names in key order (`conkey` on its table, `confkey` on the referenced one). */
function constraintColumns(key: "conkey" | "confkey", relation: "conrelid" | "confrelid"): string {
  return `array(
    select a.attname::text from unnest(con.${key}) with ordinality as k(attnum, n)
    join pg_catalog.pg_attribute a on a.attrelid = con.${relation} and a.attnum = k.attnum
    order by k.n
  )`;
}

const FOREIGN_KEYS_SQL = `select con.conname::text as name,
  fc.relname::text as foreign_table,
  con.confdeltype::text as on_delete,
  con.confupdtype::text as on_update,
  ${constraintColumns("conkey", "conrelid")} as columns,
  ${constraintColumns("confkey", "confrelid")} as foreign_columns
from pg_catalog.pg_constraint con
join pg_catalog.pg_class c on c.oid = con.conrelid
join pg_catalog.pg_class fc on fc.oid = con.confrelid
where con.contype = 'f' and ${RELATION}
order by con.conname`;

const CHECKS_SQL = `select con.conname::text as name,
  pg_catalog.pg_get_constraintdef(con.oid) as definition,
  ${constraintColumns("conkey", "conrelid")} as columns
from pg_catalog.pg_constraint con
join pg_catalog.pg_class c on c.oid = con.conrelid
where con.contype = 'c' and ${RELATION}
order by con.conname`;

interface CheckRow {
  name: string;
  definition: string;
  columns: string[];
}

interface ColumnRow {
  name: string;
  type_name: string;
  type: string;
  nullable: boolean;
  default: string | null;
  auto_increment: boolean;
  comment: string | null;
}

interface IndexRow {
  name: string;
  type: string;
  unique: boolean;
  primary: boolean;
  columns: string[];
}

interface ForeignKeyRow {
  name: string;
  foreign_table: string;
  on_delete: string;
  on_update: string;
  columns: string[];
  foreign_columns: string[];
}

/**
 * Reads the current schema (`current_schema()`) from pg_catalog. Types are reported
 * the way PostgreSQL spells them: `typeName` is pg_type's name (`int4`, `varchar`,
 * `timestamptz`), `type` is format_type's (`integer`, `character varying(255)`).
 *
 * @example
 * const columns = await new PostgresIntrospector(db).getColumns("users");
 */
export class PostgresIntrospector implements Introspector {
  readonly #db: Queryable;

  constructor(db: Queryable) {
    this.#db = db;
  }

  /** Partitioned tables count as tables; views and materialized views do not. */
  async getTables(): Promise<string[]> {
    const rows = await this.#db.query<{ name: string }>(TABLES_SQL.replace("%KINDS%", TABLE_KINDS));
    return rows.map((r) => r.name);
  }

  async hasTable(table: string): Promise<boolean> {
    const rows = await this.#db.query(`select 1 as found from pg_catalog.pg_class c where ${RELATION} and c.relkind in (${TABLE_KINDS})`, [table]);
    return rows.length > 0;
  }

  async getViews(): Promise<string[]> {
    const rows = await this.#db.query<{ name: string }>(TABLES_SQL.replace("%KINDS%", "'v'"));
    return rows.map((r) => r.name);
  }

  async getColumns(table: string): Promise<ColumnInfo[]> {
    const rows = await this.#db.query<ColumnRow>(COLUMNS_SQL, [table]);
    return rows.map((r) => ({
      name: r.name,
      typeName: r.type_name,
      type: r.type,
      nullable: r.nullable,
      default: r.default,
      autoIncrement: r.auto_increment,
      comment: r.comment,
    }));
  }

  async getIndexes(table: string): Promise<IndexInfo[]> {
    const rows = await this.#db.query<IndexRow>(INDEXES_SQL, [table]);
    return rows.map((r) => ({ name: r.name, columns: r.columns, unique: r.unique, primary: r.primary, type: r.type }));
  }

  /** `expression` is pg_get_constraintdef's text without `CHECK` and `NOT VALID`. */
  async getChecks(table: string): Promise<CheckInfo[]> {
    const rows = await this.#db.query<CheckRow>(CHECKS_SQL, [table]);
    return rows.map((r) => ({
      name: r.name,
      columns: r.columns,
      expression: r.definition.replace(/^CHECK /, "").replace(/ NOT VALID$/, ""),
    }));
  }

  async getForeignKeys(table: string): Promise<ForeignKeyInfo[]> {
    const rows = await this.#db.query<ForeignKeyRow>(FOREIGN_KEYS_SQL, [table]);
    return rows.map((r) => ({
      name: r.name,
      columns: r.columns,
      foreignTable: r.foreign_table,
      foreignColumns: r.foreign_columns,
      onDelete: ACTIONS[r.on_delete] ?? r.on_delete,
      onUpdate: ACTIONS[r.on_update] ?? r.on_update,
    }));
  }
}
