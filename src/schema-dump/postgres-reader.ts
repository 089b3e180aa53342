import type { Database } from "../dialect/database.js";
import { byName, type ColumnModel, type EnumTypeModel, type IndexModel, type SchemaModel, type SequenceModel, type TableModel, type ViewModel } from "./model.js";

/** Objects of the schema unqualified names resolve to. */
const IN_SCHEMA = "relnamespace = (select oid from pg_catalog.pg_namespace where nspname = current_schema())";

const COLUMNS_SQL = `select c.relname::text as "table", a.attname::text as name, t.typname::text as type_name,
  pg_catalog.format_type(a.atttypid, a.atttypmod) as type,
  not a.attnotnull as nullable,
  pg_catalog.pg_get_expr(d.adbin, d.adrelid) as expression,
  a.attidentity::text as identity, a.attgenerated::text as generated,
  case when a.attcollation <> t.typcollation then quote_ident(co.collname::text) end as collation,
  pg_catalog.col_description(c.oid, a.attnum) as comment,
  s.seqstart::text as seq_start, s.seqincrement::text as seq_increment, s.seqmin::text as seq_min,
  s.seqmax::text as seq_max, s.seqcache::text as seq_cache, s.seqcycle as seq_cycle
from pg_catalog.pg_attribute a
join pg_catalog.pg_class c on c.oid = a.attrelid
join pg_catalog.pg_type t on t.oid = a.atttypid
left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
left join pg_catalog.pg_collation co on co.oid = a.attcollation
left join pg_catalog.pg_depend dep on a.attidentity <> '' and dep.refobjid = c.oid and dep.refobjsubid = a.attnum
  and dep.deptype = 'i' and dep.classid = 'pg_catalog.pg_class'::regclass
left join pg_catalog.pg_sequence s on s.seqrelid = dep.objid
where c.${IN_SCHEMA} and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped
order by c.relname, a.attnum`;

// Constraint-backed indexes are printed as their constraint; the schema qualifier
// pg_get_indexdef always writes is removed, so a scratch schema reads the same.
const INDEXES_SQL = `select c.relname::text as "table", ic.relname::text as name, am.amname::text as type,
  i.indisunique as "unique", i.indisprimary as "primary",
  array(
    select coalesce(a.attname::text, pg_catalog.pg_get_indexdef(i.indexrelid, k.n + 1, true))
    from generate_series(0, i.indnkeyatts - 1) as k(n)
    left join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[k.n] and i.indkey[k.n] <> 0
    order by k.n
  ) as columns,
  con.conname is not null as "constraint",
  coalesce(pg_catalog.pg_get_constraintdef(con.oid),
    replace(pg_catalog.pg_get_indexdef(i.indexrelid), ' ON ' || quote_ident(current_schema()) || '.', ' ON ')) as definition
from pg_catalog.pg_index i
join pg_catalog.pg_class c on c.oid = i.indrelid
join pg_catalog.pg_class ic on ic.oid = i.indexrelid
join pg_catalog.pg_am am on am.oid = ic.relam
left join pg_catalog.pg_constraint con on con.conindid = i.indexrelid and con.conrelid = i.indrelid and con.contype in ('p', 'u', 'x')
where c.${IN_SCHEMA} and c.relkind in ('r', 'p')
order by c.relname, ic.relname`;

const CONSTRAINTS_SQL = `select c.relname::text as "table", con.conname::text as name, con.contype::text as kind,
  pg_catalog.pg_get_constraintdef(con.oid) as definition
from pg_catalog.pg_constraint con
join pg_catalog.pg_class c on c.oid = con.conrelid
where c.${IN_SCHEMA} and con.contype in ('c', 'f')
order by c.relname, con.conname`;

const TABLES_SQL = `select c.relname::text as name, pg_catalog.obj_description(c.oid, 'pg_class') as comment
from pg_catalog.pg_class c where c.${IN_SCHEMA} and c.relkind in ('r', 'p') order by c.relname`;

const VIEWS_SQL = `select c.relname::text as name, pg_catalog.pg_get_viewdef(c.oid, true) as definition
from pg_catalog.pg_class c where c.${IN_SCHEMA} and c.relkind = 'v' order by c.relname`;

// Identity sequences belong to their column (deptype 'i'); every other sequence is listed.
const SEQUENCES_SQL = `select c.relname::text as name, pg_catalog.format_type(s.seqtypid, null) as type,
  s.seqstart::text as start, s.seqincrement::text as increment, s.seqmin::text as min, s.seqmax::text as max,
  s.seqcache::text as cache, s.seqcycle as cycle,
  (select quote_ident(tc.relname::text) || '.' || quote_ident(a.attname::text) from pg_catalog.pg_depend d
     join pg_catalog.pg_class tc on tc.oid = d.refobjid
     join pg_catalog.pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
     where d.objid = c.oid and d.classid = 'pg_catalog.pg_class'::regclass and d.deptype = 'a' limit 1) as owned_by
from pg_catalog.pg_class c join pg_catalog.pg_sequence s on s.seqrelid = c.oid
where c.${IN_SCHEMA} and c.relkind = 'S'
  and not exists (select 1 from pg_catalog.pg_depend d where d.objid = c.oid and d.classid = 'pg_catalog.pg_class'::regclass and d.deptype = 'i')
order by c.relname`;

const ENUMS_SQL = `select t.typname::text as name, array(select e.enumlabel::text from pg_catalog.pg_enum e where e.enumtypid = t.oid order by e.enumsortorder) as values
from pg_catalog.pg_type t where t.typtype = 'e' and t.typnamespace = (select oid from pg_catalog.pg_namespace where nspname = current_schema())
order by t.typname`;


const TYPE_MAX: Record<string, string> = { smallint: "32767", integer: "2147483647", bigint: "9223372036854775807" };

type Row = Record<string, unknown>;

/**
 * The current schema read from pg_catalog in a handful of queries (one per kind of
 * object, not one per table). Definitions are PostgreSQL's own printing
 * (`pg_get_constraintdef`, `pg_get_indexdef`, `pg_get_viewdef`), free of OIDs.
 */
export async function readPostgresModel(db: Database): Promise<SchemaModel> {
  // One connection answers one query at a time: read in turn.
  const results: Row[][] = [];
  for (const sql of [TABLES_SQL, COLUMNS_SQL, INDEXES_SQL, CONSTRAINTS_SQL, VIEWS_SQL, SEQUENCES_SQL, ENUMS_SQL]) results.push(await db.read<Row>(sql));
  const [tableRows, columnRows, indexRows, constraintRows, viewRows, sequenceRows, enumRows] = results;
  const foreignKeys = new Map<string, Awaited<ReturnType<typeof db.introspector.getForeignKeys>>>();
  for (const t of tableRows!) foreignKeys.set(String(t.name), await db.introspector.getForeignKeys(String(t.name)));
  const tables: TableModel[] = tableRows!.map((t) => {
    const name = String(t.name);
    const mine = (rows: Row[]) => rows.filter((r) => r.table === name);
    const constraints = mine(constraintRows!);
    const definitions = new Map(constraints.filter((c) => c.kind === "f").map((c) => [String(c.name), String(c.definition)]));
    return {
      name,
      columns: mine(columnRows!).map(toColumn),
      indexes: mine(indexRows!).map(toIndex).sort(byName),
      foreignKeys: (foreignKeys.get(name) ?? [])
        .map((fk) => ({ ...fk, definition: definitions.get(fk.name) ?? null }))
        .sort(byName),
      checks: constraints
        .filter((c) => c.kind === "c")
        .map((c) => ({ name: String(c.name), expression: reparsedForm(String(c.definition).replace(/^CHECK /, "").replace(/ NOT VALID$/, "")) }))
        .sort(byName),
      comment: t.comment == null ? null : String(t.comment),
      options: {},
      definition: null,
      triggers: [],
    };
  });
  const views: ViewModel[] = viewRows!.map((v) => ({ name: String(v.name), definition: reparsedForm(String(v.definition).trim()) }));
  const sequences: SequenceModel[] = sequenceRows!.map((s) => ({
    name: String(s.name),
    type: String(s.type),
    start: String(s.start),
    increment: String(s.increment),
    min: String(s.min),
    max: String(s.max),
    cache: String(s.cache),
    cycle: Boolean(s.cycle),
    ownedBy: s.owned_by == null ? null : String(s.owned_by),
  }));
  const enumTypes: EnumTypeModel[] = enumRows!.map((e) => ({ name: String(e.name), values: e.values as string[] }));
  return { dialect: "postgres", tables, views, sequences, enumTypes };
}


function toColumn(r: Row): ColumnModel {
  const generated = r.generated === "s";
  const identity = String(r.identity ?? "");
  const expression = r.expression == null ? null : String(r.expression);
  return {
    name: String(r.name),
    typeName: String(r.type_name),
    type: String(r.type),
    nullable: Boolean(r.nullable),
    default: generated ? null : expression,
    autoIncrement: identity !== "" || (expression !== null && /^nextval\(.*::regclass\)$/.test(expression)),
    comment: r.comment == null ? null : String(r.comment),
    collation: r.collation == null ? null : String(r.collation),
    generated: generated ? expression : null,
    generatedKind: generated ? "stored" : null,
    identity: identity === "" ? null : identityText(identity, String(r.type), r),
  };
}

/** `by default` or `always`, with the sequence options that differ from PostgreSQL's defaults. */
function identityText(kind: string, type: string, r: Row): string {
  const increment = String(r.seq_increment ?? "1");
  const ascending = !increment.startsWith("-");
  const min = String(r.seq_min ?? "1");
  const max = String(r.seq_max ?? "");
  const options: string[] = [];
  if (String(r.seq_start ?? "1") !== (ascending ? min : max)) options.push(`start with ${String(r.seq_start)}`);
  if (increment !== "1") options.push(`increment by ${increment}`);
  if (ascending ? min !== "1" : max !== "-1") options.push(`minvalue ${min}`);
  if (ascending && max !== (TYPE_MAX[type] ?? max)) options.push(`maxvalue ${max}`);
  if (String(r.seq_cache ?? "1") !== "1") options.push(`cache ${String(r.seq_cache)}`);
  if (r.seq_cycle === true) options.push("cycle");
  const head = kind === "a" ? "always" : "by default";
  return options.length ? `${head} (${options.join(" ")})` : head;
}

function toIndex(r: Row): IndexModel {
  return {
    name: String(r.name),
    columns: r.columns as string[],
    unique: Boolean(r.unique),
    primary: Boolean(r.primary),
    type: String(r.type),
    definition: reparsedForm(String(r.definition)),
    constraint: Boolean(r.constraint),
  };
}

const CAST_ARRAY = /\(ARRAY\[((?:'(?:[^']|'')*'::[a-z ]+(?:\(\d+\))?(?:, )?)+)\]\)::([a-z ]+(?:\(\d+\))?)\[\]/g;
const ARRAY_ELEMENT = /'(?:[^']|'')*'::[a-z ]+(?:\(\d+\))?/g;

/**
 * PostgreSQL prints `col in ('a', 'b')` on a varchar as `(ARRAY['a'::character varying,
 * …])::text[]` but parses that text back as `ARRAY[('a'::character varying)::text, …]`:
 * its printing is not a fixed point. The model keeps the form it reads back, so a
 * loaded dump reads the same as the database it was taken from.
 */
export function reparsedForm(definition: string): string {
  return definition.replace(CAST_ARRAY, (_whole, elements: string, type: string) => {
    const cast = (elements.match(ARRAY_ELEMENT) ?? []).map((element) => `(${element})::${type}`);
    return `ARRAY[${cast.join(", ")}]`;
  });
}
