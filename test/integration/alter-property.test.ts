import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Database } from "../../src/dialect/database.js";
import type { ColumnInfo, DialectName } from "../../src/dialect/dialect.js";
import type { Blueprint } from "../../src/schema/blueprint.js";
import type { ColumnDefinition } from "../../src/schema/column-definition.js";
import { DIALECTS, withDatabase } from "../support/databases.js";
import { envInt, Random } from "../support/random.js";
import { tableShape, type TableShape } from "../support/schema.js";

/**
 * Property test of spec §3 (architecture: "Tests like Kysely's"): random reversible
 * sequences of alter operations on random tables holding random rows. After each `up`
 * the introspected schema is what was asked and every row is still there; after the
 * `down`s (in reverse) getColumns, getIndexes and getForeignKeys equal the original
 * exactly, every row is unchanged, foreign keys are still enforced and the
 * auto-increment counter kept its place (SQLite rebuilds must restore it).
 *
 * Covered: add column (nullable, or NOT NULL with a default), index / unique (one or two
 * columns; unique only over distinct values), renameColumn, change() (widen a string or
 * decimal, integer → bigInteger, allow / forbid NULL, replace or drop comment and
 * default), drop the last column (with its single-column indexes) and re-add it, add a
 * foreign key to the parent (cascade / restrict / set null) and drop one. Ops run on the
 * child or on the referenced parent, one per schema.table() call or several together.
 * Names include SQL keywords and characters that need quoting; values and defaults
 * include quotes, backslashes, SQL comment markers, newlines and non-ASCII text.
 *
 * Avoided on purpose, so that one sequence means the same on every dialect:
 * - types whose values do not round-trip everywhere (float, json, time, timestamps…);
 * - defaults on text (MySQL < 8.0.13), astral-plane characters in comments (MariaDB's
 *   information_schema is utf8mb3), index keys over InnoDB's 3072 bytes;
 * - narrowing changes (they would lose data) and changes of reference columns (MySQL
 *   refuses most changes of a column in a foreign key);
 * - dropping a column that is not the last one (PostgreSQL can only re-add it last) or
 *   that has a composite index (MySQL shrinks the index instead of dropping it);
 * - a foreign key without an index of ours: InnoDB would add one that dropForeign leaves
 *   behind (as in Laravel), so its down could not restore the index list;
 * - unique indexes at creation, so the final insert cannot collide.
 *
 * PROPERTY_SEED (default below) and PROPERTY_RUNS pick the sequences: sequence i uses
 * seed PROPERTY_SEED + i and names its tables after it, so
 * `PROPERTY_SEED=<its seed> PROPERTY_RUNS=1` replays it exactly; a failure prints that
 * command and the sequence as code. PROPERTY_MAX_FAILURES (default 1) keeps going after
 * a failure to collect more.
 */
const SEED = envInt("PROPERTY_SEED", 20_251_123);
const RUNS = envInt("PROPERTY_RUNS", 200);
const MAX_FAILURES = envInt("PROPERTY_MAX_FAILURES", 1);


// ── the model ────────────────────────────────────────────────────────────────

type ColType = "string" | "integer" | "bigInteger" | "boolean" | "text" | "decimal" | "date" | "unsignedInteger";
type OnDelete = "cascade" | "restrict" | "set null";
/** A value as inserted (decimals as strings, dates as YYYY-MM-DD). */
type Raw = string | number | boolean | null;

interface Col {
  /** Stable identity across renames: row values are keyed by it. */
  readonly uid: number;
  name: string;
  type: ColType;
  length?: number;
  precision?: number;
  scale?: number;
  nullable: boolean;
  default?: string | number | boolean;
  comment?: string;
  /** An unsigned integer holding ids of the parent table (never changed or indexed by the generator). */
  readonly ref: boolean;
}

interface IndexModel {
  readonly name: string;
  readonly columns: readonly number[];
  readonly unique: boolean;
}

interface ForeignKeyModel {
  readonly name: string;
  readonly column: number;
  readonly onDelete: OnDelete;
}

interface Row {
  readonly id: number;
  readonly values: Record<number, Raw>;
}

interface TableModel {
  readonly name: string;
  columns: Col[];
  indexes: IndexModel[];
  foreignKeys: ForeignKeyModel[];
  rows: Row[];
}

interface Tables {
  parent?: TableModel;
  child: TableModel;
}

/** One blueprint call, kept as data so it can be both run and printed. */
type Action =
  | { readonly kind: "column"; readonly col: Col; readonly change?: boolean }
  | { readonly kind: "dropColumn"; readonly name: string }
  | { readonly kind: "renameColumn"; readonly from: string; readonly to: string }
  | { readonly kind: "index"; readonly type: "index" | "unique"; readonly columns: readonly string[]; readonly name?: string }
  | { readonly kind: "dropIndex"; readonly type: "index" | "unique"; readonly columns: readonly string[] }
  | { readonly kind: "foreign"; readonly column: string; readonly name?: string; readonly on: string; readonly onDelete: OnDelete }
  | { readonly kind: "dropForeign"; readonly target: string | readonly string[] };

interface Step {
  readonly table: string;
  readonly actions: readonly Action[];
}

interface Op {
  readonly label: string;
  /** The columns (uids) it touches: ops on one table touching none in common may share one table() call. */
  readonly touches: readonly number[];
  /** What the op exercised, counted in the test's diagnostic summary. */
  readonly tags: readonly string[];
  readonly up: Step;
  readonly down: Step;
  /** The expected tables once this op's `up` has run. */
  readonly after: Tables;
}

interface Scenario {
  readonly seed: number;
  readonly creates: readonly Step[];
  readonly original: Tables;
  /** Every row inserted into the child (ids 1…n), including those deleted right after. */
  readonly inserted: readonly Row[];
  /** Ids deleted from the child after inserting, so the auto-increment counter is ahead of max(id). */
  readonly deletedIds: readonly number[];
  readonly ops: readonly Op[];
  /**
   * How the ops are grouped into schema.table() calls (indexes into ops): consecutive ops
   * on one table that touch different columns sometimes share a call, so one blueprint
   * carries several commands (and SQLite plans them as one rebuild).
   */
  readonly calls: readonly (readonly number[])[];
  /** The original tables, with the values of dropped-and-restored columns reset to their default. */
  readonly final: Tables;
  /** A fresh child row (column name → value) inserted at the end. */
  readonly probe: Record<string, Raw>;
}

// ── generation ───────────────────────────────────────────────────────────────

const WORDS = ["name", "title", "price", "flag", "born", "note", "qty", "code", "ratio", "label", "seen", "memo", "rank", "size", "city"];
/** SQL keywords SQLite's CREATE TABLE parser must take as column names when quoted. */
const KEYWORDS = [
  "order", "select", "key", "default", "check", "constraint", "references", "unique", "primary", "group",
  "not", "null", "index", "on", "as", "generated", "collate", "foreign", "autoincrement",
];
/**
 * Prefixes of names that need quoting everywhere (quotes, spaces, comment and statement
 * punctuation, non-ASCII). Lower case and without "-" or ".", so the default index
 * names stay `{table}_{cols}_{suffix}` literally.
 */
const ODD_NAMES = ["it's", 'a"b', "sp ace", "back`tick", "ünï", "(paren)", "comma,", "semi;", "/*c*/"];
const VALUE_TYPES: readonly ColType[] = ["string", "integer", "bigInteger", "boolean", "text", "decimal", "date"];
/**
 * Quotes, backslashes, LIKE wildcards, a newline, accents, CJK and astral-plane characters,
 * and SQL comment openers (which SQLite's rebuild must not take for comments inside a literal).
 */
const ALPHABET = [..."abcxyzAQ07 '\"\\%_-\n", "é", "ñ", "ü", "Ω", "中", "文", "😀", "🚀", "/*", "*/", "--", ";"];
/** Comments also go through MariaDB's information_schema, which is utf8mb3: no astral-plane characters there. */
const COMMENT_ALPHABET = ALPHABET.filter((c) => c.codePointAt(0)! <= 0xffff);
/** InnoDB's limit on an index key (DYNAMIC rows); a utf8mb4 character may take 4 bytes. */
const MAX_KEY_BYTES = 3072;
const MISSING_PARENT_ID = 999_999;

class Generator {
  readonly r: Random;
  #uid = 0;
  #names = 0;
  readonly #keywords = new Set<string>();

  constructor(seed: number) {
    this.r = new Random(seed);
  }

  name(): string {
    const n = ++this.#names;
    if (this.r.chance(0.15)) {
      const keyword = this.r.pick(KEYWORDS);
      if (!this.#keywords.has(keyword)) {
        this.#keywords.add(keyword);
        return keyword;
      }
      return `${this.r.pick(ODD_NAMES)}_${n}`;
    }
    return `${this.r.pick(WORDS)}_${n}`;
  }

  uid(): number {
    return ++this.#uid;
  }

  /** Exactly `length` characters (code points: what varchar(n) counts on every dialect). */
  string(alphabet: readonly string[], length: number): string {
    let text = "";
    for (let i = 0; i < length; i++) text += this.r.pick(alphabet);
    return Array.from(text).slice(0, length).join("");
  }

  column(options: { nullable?: boolean; withDefault?: boolean } = {}): Col {
    const r = this.r;
    const type = r.pick(VALUE_TYPES);
    const col: Col = { uid: this.uid(), name: this.name(), type, nullable: options.nullable ?? r.chance(0.5), ref: false };
    if (type === "string") col.length = r.chance(0.5) ? r.pick([1, 5, 20, 100, 191, 255]) : r.int(1, 255);
    if (type === "decimal") {
      col.precision = r.int(3, 10);
      col.scale = r.int(0, Math.min(4, col.precision));
    }
    // MySQL before 8.0.13 refuses a default on TEXT; the generator never asks for one.
    if (type !== "text" && (options.withDefault ?? r.chance(0.35))) col.default = this.defaultFor(col);
    if (r.chance(0.3)) col.comment = this.string(COMMENT_ALPHABET, r.int(1, 16));
    return col;
  }

  ref(nullable: boolean): Col {
    return { uid: this.uid(), name: this.name(), type: "unsignedInteger", nullable, ref: true };
  }

  value(col: Col, parentRows: number): Raw {
    const r = this.r;
    if (col.nullable && r.chance(0.2)) return null;
    switch (col.type) {
      case "unsignedInteger":
        return r.int(1, parentRows);
      case "string":
        return this.string(ALPHABET, r.int(0, Math.min(col.length!, 24)));
      case "text":
        return this.string(ALPHABET, r.int(0, 60));
      case "integer":
        return r.chance(0.5) ? r.int(-50, 50) : r.int(-2_147_483_648, 2_147_483_647);
      case "bigInteger":
        return r.chance(0.5) ? r.int(-50, 50) : r.int(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
      case "boolean":
        return r.chance(0.5);
      case "decimal":
        return this.decimal(col.precision!, col.scale!);
      case "date":
        return `${r.int(1971, 2037)}-${pad(r.int(1, 12), 2)}-${pad(r.int(1, 28), 2)}`;
    }
  }

  defaultFor(col: Col): string | number | boolean {
    const r = this.r;
    switch (col.type) {
      case "string":
        return this.string(ALPHABET, r.int(0, Math.min(col.length!, 10)));
      case "integer":
      case "bigInteger":
        return r.int(-100, 100);
      case "boolean":
        return r.chance(0.5);
      case "decimal":
        return Number(this.decimal(col.precision!, col.scale!));
      case "date":
        return `${r.int(1971, 2037)}-${pad(r.int(1, 12), 2)}-${pad(r.int(1, 28), 2)}`;
      case "text":
      case "unsignedInteger":
        throw new Error(`no default generated for ${col.type}`);
    }
  }

  /** A decimal literal that fits (precision, scale) exactly. */
  decimal(precision: number, scale: number): string {
    const r = this.r;
    const integerDigits = precision - scale;
    const integerMax = integerDigits === 0 ? 0 : r.chance(0.5) ? Math.min(99, 10 ** integerDigits - 1) : 10 ** integerDigits - 1;
    const integer = r.int(0, integerMax);
    const fraction = scale === 0 ? "" : `.${pad(r.int(0, 10 ** scale - 1), scale)}`;
    const text = `${integer}${fraction}`;
    return Number(text) !== 0 && r.chance(0.3) ? `-${text}` : text;
  }
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function generate(seed: number): Scenario {
  const g = new Generator(seed);
  const r = g.r;
  const tag = seed.toString(36);
  const creates: Step[] = [];

  let parent: TableModel | undefined;
  let parentRows = 0;
  if (r.chance(0.6)) {
    parent = { name: `p_${tag}`, columns: [], indexes: [], foreignKeys: [], rows: [] };
    const actions: Action[] = [];
    for (let i = r.int(1, 3); i > 0; i--) parent.columns.push(g.column());
    addCreationIndexes(g, parent, actions);
    creates.push({ table: parent.name, actions: [...parent.columns.map((col) => ({ kind: "column" as const, col: { ...col } })), ...actions] });
    parentRows = r.int(1, 5);
    for (let id = 1; id <= parentRows; id++) parent.rows.push({ id, values: rowValues(g, parent.columns, 0) });
  }

  const child: TableModel = { name: `c_${tag}`, columns: [], indexes: [], foreignKeys: [], rows: [] };
  const columns: Col[] = [];
  for (let i = r.int(2, 5); i > 0; i--) columns.push(g.column());
  if (parent) for (let i = r.int(0, 2); i > 0; i--) columns.push(g.ref(r.chance(0.5)));
  child.columns = r.shuffle(columns);
  const childActions: Action[] = [];
  addCreationIndexes(g, child, childActions);
  for (const ref of child.columns.filter((c) => c.ref)) {
    if (!parent || !r.chance(0.5)) continue;
    // The index comes with the key, so MySQL does not create one of its own (see addForeign).
    const onDelete = pickOnDelete(g, ref);
    childActions.push({ kind: "index", type: "index", columns: [ref.name] });
    childActions.push({ kind: "foreign", column: ref.name, on: parent.name, onDelete });
    child.indexes.push({ name: indexName(child.name, [ref.name], "index"), columns: [ref.uid], unique: false });
    child.foreignKeys.push({ name: foreignName(child.name, ref.name), column: ref.uid, onDelete });
  }
  creates.push({ table: child.name, actions: [...child.columns.map((col) => ({ kind: "column" as const, col: { ...col } })), ...childActions] });
  const inserted: Row[] = [];
  for (let id = 1, n = r.int(0, 20); id <= n; id++) inserted.push({ id, values: rowValues(g, child.columns, parentRows) });
  const deletedIds =
    inserted.length > 0 && r.chance(0.4)
      ? r.shuffle(inserted.map((row) => row.id)).slice(0, r.int(1, Math.min(3, inserted.length))).sort((a, b) => a - b)
      : [];
  child.rows = clone(inserted.filter((row) => !deletedIds.includes(row.id)));

  const original: Tables = clone(parent ? { parent, child } : { child });
  const world: World = { tables: parent ? { parent, child } : { child }, changed: new Set(), dropped: new Map() };
  const ops: Op[] = [];
  for (let n = r.int(1, 4); n > 0; n--) {
    for (let attempt = 0; attempt < 20; attempt++) {
      const kind = r.weighted(OP_WEIGHTS);
      const made = OP_GENERATORS[kind](g, world);
      if (made) {
        ops.push({ ...made, after: clone(world.tables) });
        break;
      }
    }
  }

  const calls: number[][] = [];
  ops.forEach((op, i) => {
    const last = calls.at(-1);
    const independent = last?.every((j) => ops[j]!.up.table === op.up.table && !ops[j]!.touches.some((uid) => op.touches.includes(uid)));
    if (last && independent && r.chance(0.4)) last.push(i);
    else calls.push([i]);
  });

  const final = clone(original);
  for (const table of [final.parent, final.child]) {
    if (!table) continue;
    for (const col of table.columns) {
      const dropped = world.dropped.get(col.uid);
      if (dropped) for (const row of table.rows) row.values[col.uid] = dropped.default ?? null;
    }
  }
  // No NULLs, and parent 1 for every reference: the row must go in, and only a bad parent id may keep it out.
  const probe = Object.fromEntries(final.child.columns.map((col) => [col.name, col.ref ? 1 : g.value({ ...col, nullable: false }, parentRows)]));
  return { seed, creates, original, inserted, deletedIds, ops, calls, final, probe };
}

/** Plain (never unique) indexes at creation: the end-of-sequence probe insert must not collide. */
function addCreationIndexes(g: Generator, table: TableModel, actions: Action[]): void {
  for (const col of table.columns) {
    if (col.ref || col.type === "text" || !g.r.chance(0.2)) continue;
    actions.push({ kind: "index", type: "index", columns: [col.name] });
    table.indexes.push({ name: indexName(table.name, [col.name], "index"), columns: [col.uid], unique: false });
  }
}

function rowValues(g: Generator, columns: readonly Col[], parentRows: number): Record<number, Raw> {
  return Object.fromEntries(columns.map((col) => [col.uid, g.value(col, parentRows)]));
}

function pickOnDelete(g: Generator, col: Col): OnDelete {
  return g.r.pick<OnDelete>(col.nullable ? ["cascade", "restrict", "set null"] : ["cascade", "restrict"]);
}

function indexName(table: string, columns: readonly string[], type: "index" | "unique"): string {
  return `${table}_${columns.join("_")}_${type}`;
}

function foreignName(table: string, column: string): string {
  return `${table}_${column}_foreign`;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

// ── operations: each returns (up, down) and updates the model, or null when it does not apply ──

interface World {
  readonly tables: Tables;
  /** Columns restated by change(): their values could not survive a drop-and-re-add down. */
  readonly changed: Set<number>;
  /** Columns dropped by an up and re-added by its down, with the definition they come back with. */
  readonly dropped: Map<number, Col>;
}

type OpKind = "add" | "index" | "rename" | "change" | "drop" | "foreign" | "dropForeign";
type Made = Omit<Op, "after">;

const OP_WEIGHTS: readonly (readonly [number, OpKind])[] = [
  [3, "add"],
  [3, "index"],
  [2, "rename"],
  [4, "change"],
  [2, "drop"],
  [2, "foreign"],
  [2, "dropForeign"],
];

const OP_GENERATORS: Record<OpKind, (g: Generator, w: World) => Made | null> = {
  add: addColumn,
  index: addIndex,
  rename: renameColumn,
  change: changeColumn,
  drop: dropColumn,
  foreign: addForeign,
  dropForeign: dropForeign,
};

function target(g: Generator, w: World): TableModel {
  return w.tables.parent && g.r.chance(0.3) ? w.tables.parent : w.tables.child;
}

function step(table: TableModel, ...actions: Action[]): Step {
  return { table: table.name, actions: clone(actions) };
}

/** A nullable column, or a NOT NULL one with a default (both can be added to a table with rows). */
function addColumn(g: Generator, w: World): Made {
  const table = target(g, w);
  const nullable = g.r.chance(0.7);
  let col = g.column({ nullable });
  if (!nullable && col.default === undefined) col = col.type === "text" ? { ...col, nullable: true } : { ...col, default: g.defaultFor(col) };
  table.columns.push(col);
  for (const row of table.rows) row.values[col.uid] = col.default ?? null;
  return {
    label: `add column ${col.name} to ${table.name}`,
    tags: [nullable ? "add nullable column" : "add not-null column with default", ...onParent(w, table)],
    touches: [col.uid],
    up: step(table, { kind: "column", col }),
    down: step(table, { kind: "dropColumn", name: col.name }),
  };
}

function addIndex(g: Generator, w: World): Made | null {
  const table = target(g, w);
  const candidates = table.columns.filter((c) => !c.ref && c.type !== "text" && !indexesOf(table, c).length);
  if (candidates.length === 0) return null;
  const cols = g.r.shuffle(candidates).slice(0, candidates.length >= 2 && g.r.chance(0.25) ? 2 : 1);
  if (keyBytes(cols) > MAX_KEY_BYTES) return null;
  const type = g.r.chance(0.5) && distinct(table, cols) ? "unique" : "index";
  const names = cols.map((c) => c.name);
  table.indexes.push({ name: indexName(table.name, names, type), columns: cols.map((c) => c.uid), unique: type === "unique" });
  return {
    label: `${type} on ${table.name}(${names.join(", ")})`,
    tags: [cols.length > 1 ? `add composite ${type}` : `add ${type}`, ...onParent(w, table)],
    touches: cols.map((c) => c.uid),
    up: step(table, { kind: "index", type, columns: names }),
    down: step(table, { kind: "dropIndex", type, columns: names }),
  };
}

function renameColumn(g: Generator, w: World): Made | null {
  const table = target(g, w);
  if (table.columns.length === 0) return null;
  const col = g.r.pick(table.columns);
  const from = col.name;
  const to = g.name();
  col.name = to;
  return {
    label: `rename ${table.name}.${from} to ${to}`,
    tags: [col.ref ? "rename reference column" : indexesOf(table, col).length ? "rename indexed column" : "rename column", ...onParent(w, table)],
    touches: [col.uid],
    up: step(table, { kind: "renameColumn", from, to }),
    down: step(table, { kind: "renameColumn", from: to, to: from }),
  };
}

/**
 * change() widening a string or decimal, integer → bigInteger, or toggling nullability
 * where the rows allow it; sometimes also replacing or dropping the comment and the
 * default. The down restates the column exactly as it was.
 */
function changeColumn(g: Generator, w: World): Made | null {
  const r = g.r;
  const table = target(g, w);
  const candidates = table.columns.filter((c) => !c.ref);
  if (candidates.length === 0) return null;
  const col = r.pick(candidates);
  const before = clone(col);
  const next: Col = clone(col);
  const moves: string[] = [];
  const indexes = indexesOf(table, col);
  const fitsKeys = (widened: Col) => indexes.every((i) => keyBytes(i.columns.map((uid) => (uid === col.uid ? widened : columnByUid(table, uid)))) <= MAX_KEY_BYTES);
  if (col.type === "string" && col.length! < 700 && fitsKeys({ ...col, length: col.length! + 1 })) moves.push("widen");
  if (col.type === "decimal" && col.precision! < 18) moves.push("widen");
  if (col.type === "integer") moves.push("bigInteger");
  if (!col.nullable || !table.rows.some((row) => row.values[col.uid] === null)) moves.push("nullability");
  if (moves.length > 0) {
    switch (r.pick(moves)) {
      case "widen":
        if (col.type === "string") {
          let length = r.int(col.length! + 1, Math.min(700, col.length! + 300));
          while (!fitsKeys({ ...col, length })) length = col.length! + Math.ceil((length - col.length!) / 2);
          next.length = length;
        } else {
          next.precision = r.int(col.precision! + 1, 18);
        }
        break;
      case "bigInteger":
        next.type = "bigInteger";
        break;
      case "nullability":
        next.nullable = !col.nullable;
        break;
    }
  }
  if (r.chance(0.3)) {
    if (next.comment !== undefined && r.chance(0.5)) delete next.comment;
    else next.comment = g.string(COMMENT_ALPHABET, r.int(1, 16));
  }
  if (r.chance(0.25) && next.type !== "text") {
    if (next.default !== undefined && r.chance(0.6)) delete next.default;
    else next.default = g.defaultFor(next);
  }
  if (JSON.stringify(next) === JSON.stringify(before)) return null;
  const changes = [
    ...(next.length !== before.length || next.precision !== before.precision ? [`change: widen ${before.type}`] : []),
    ...(next.type !== before.type ? ["change: integer to bigInteger"] : []),
    ...(next.nullable !== before.nullable ? [`change: ${next.nullable ? "allow" : "forbid"} NULL`] : []),
    ...(next.comment !== before.comment ? ["change: comment"] : []),
    ...(next.default !== before.default ? ["change: default"] : []),
  ];
  Object.assign(col, next);
  if (next.comment === undefined) delete col.comment;
  if (next.default === undefined) delete col.default;
  w.changed.add(col.uid);
  return {
    label: `change ${table.name}.${col.name}`,
    tags: [...changes, ...(indexes.length ? ["change indexed column"] : []), ...onParent(w, table)],
    touches: [col.uid],
    up: step(table, { kind: "column", col: next, change: true }),
    down: step(table, { kind: "column", col: before, change: true }),
  };
}

/**
 * Drop the table's last column and re-add it in the down (last, so it comes back in its
 * place on every dialect; PostgreSQL can only append). Its single-column indexes go with
 * it and come back with it. The rows then hold its default (or NULL) instead of the
 * values they had: the model expects exactly that.
 */
function dropColumn(g: Generator, w: World): Made | null {
  const table = target(g, w);
  const col = table.columns.at(-1);
  if (!col || w.changed.has(col.uid)) return null;
  if (!col.nullable && col.default === undefined) return null;
  if (table.foreignKeys.some((f) => f.column === col.uid)) return null;
  const indexes = indexesOf(table, col);
  if (indexes.some((i) => i.columns.length > 1)) return null;
  if (indexes.some((i) => i.unique) && col.default !== undefined && table.rows.length > 1) return null;
  table.columns.pop();
  table.indexes = table.indexes.filter((i) => !indexes.includes(i));
  w.dropped.set(col.uid, clone(col));
  return {
    label: `drop ${table.name}.${col.name}${indexes.length ? ` with ${indexes.map((i) => i.name).join(", ")}` : ""}`,
    tags: [indexes.length ? "drop indexed column" : "drop column", ...onParent(w, table)],
    touches: [col.uid],
    up: step(table, { kind: "dropColumn", name: col.name }),
    down: step(
      table,
      { kind: "column", col },
      ...indexes.map((i): Action => ({ kind: "index", type: i.unique ? "unique" : "index", columns: [col.name], name: i.name })),
    ),
  };
}

/**
 * A foreign key from a reference column to the parent. An index comes with it when the
 * column has none: MySQL would otherwise create one of its own that dropForeign leaves
 * behind (as Laravel's does), so the down could not restore the index list.
 */
function addForeign(g: Generator, w: World): Made | null {
  const { parent, child } = w.tables;
  if (!parent) return null;
  const candidates = child.columns.filter((c) => c.ref && !child.foreignKeys.some((f) => f.column === c.uid));
  if (candidates.length === 0) return null;
  const col = g.r.pick(candidates);
  const onDelete = pickOnDelete(g, col);
  const withIndex = indexesOf(child, col).length === 0;
  const fk: ForeignKeyModel = { name: foreignName(child.name, col.name), column: col.uid, onDelete };
  child.foreignKeys.push(fk);
  if (withIndex) child.indexes.push({ name: indexName(child.name, [col.name], "index"), columns: [col.uid], unique: false });
  const index: Action[] = withIndex ? [{ kind: "index", type: "index", columns: [col.name] }] : [];
  const dropIndex: Action[] = withIndex ? [{ kind: "dropIndex", type: "index", columns: [col.name] }] : [];
  return {
    label: `foreign key ${fk.name}`,
    tags: [withIndex ? "add foreign key with its index" : "add foreign key on an indexed column"],
    touches: [col.uid],
    up: step(child, ...index, { kind: "foreign", column: col.name, on: parent.name, onDelete }),
    down: step(child, { kind: "dropForeign", target: [col.name] }, ...dropIndex),
  };
}

function dropForeign(g: Generator, w: World): Made | null {
  const { parent, child } = w.tables;
  if (!parent || child.foreignKeys.length === 0) return null;
  const fk = g.r.pick(child.foreignKeys);
  const col = columnByUid(child, fk.column);
  const byColumns = fk.name === foreignName(child.name, col.name);
  child.foreignKeys = child.foreignKeys.filter((f) => f !== fk);
  return {
    label: `drop foreign key ${fk.name}`,
    tags: [byColumns ? "drop foreign key by columns" : "drop foreign key by name"],
    touches: [col.uid],
    up: step(child, { kind: "dropForeign", target: byColumns ? [col.name] : fk.name }),
    down: step(child, { kind: "foreign", column: col.name, ...(byColumns ? {} : { name: fk.name }), on: parent.name, onDelete: fk.onDelete }),
  };
}

function onParent(w: World, table: TableModel): string[] {
  return table === w.tables.parent ? ["alter the referenced table"] : [];
}

function indexesOf(table: TableModel, col: Col): IndexModel[] {
  return table.indexes.filter((i) => i.columns.includes(col.uid));
}

function columnByUid(table: TableModel, uid: number): Col {
  const col = table.columns.find((c) => c.uid === uid);
  if (!col) throw new Error(`internal: ${table.name} has no column #${uid}`);
  return col;
}

function keyBytes(cols: readonly Col[]): number {
  return cols.reduce((sum, c) => sum + (c.type === "string" ? 4 * c.length! : 16), 0);
}

/** Whether the non-NULL tuples are distinct, even under MySQL's utf8mb4_unicode_ci (case, accents, padding). */
function distinct(table: TableModel, cols: readonly Col[]): boolean {
  const keys = table.rows
    .map((row) => cols.map((c) => row.values[c.uid]!))
    .filter((tuple) => tuple.every((v) => v !== null))
    .map((tuple) => JSON.stringify(tuple.map((v, i) => collationKey(cols[i]!.type, v))));
  return new Set(keys).size === keys.length;
}

function collationKey(type: ColType, value: Raw): string {
  if (type === "decimal" || type === "integer" || type === "bigInteger") return String(Number(value));
  if (typeof value !== "string" || type === "date") return String(value);
  return value
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[\u{10000}-\u{10ffff}]/gu, "\ufffd")
    .replace(/[\u0000-\u001f]/g, "")
    .replace(/ +$/, "");
}

// ── running ──────────────────────────────────────────────────────────────────

function defineColumn(t: Blueprint, col: Col): ColumnDefinition {
  let column: ColumnDefinition;
  switch (col.type) {
    case "string":
      column = t.string(col.name, col.length);
      break;
    case "decimal":
      column = t.decimal(col.name, col.precision, col.scale);
      break;
    default:
      column = t[col.type](col.name);
  }
  if (col.nullable) column.nullable();
  if (col.default !== undefined) column.default(col.default);
  if (col.comment !== undefined) column.comment(col.comment);
  return column;
}

function apply(t: Blueprint, action: Action): void {
  switch (action.kind) {
    case "column": {
      const column = defineColumn(t, action.col);
      if (action.change) column.change();
      return;
    }
    case "dropColumn":
      t.dropColumn(action.name);
      return;
    case "renameColumn":
      t.renameColumn(action.from, action.to);
      return;
    case "index":
      if (action.type === "unique") t.unique(action.columns, action.name);
      else t.index(action.columns, action.name);
      return;
    case "dropIndex":
      if (action.type === "unique") t.dropUnique(action.columns);
      else t.dropIndex(action.columns);
      return;
    case "foreign":
      t.foreign(action.column, action.name).references("id").on(action.on).onDelete(action.onDelete);
      return;
    case "dropForeign":
      t.dropForeign(action.target);
      return;
  }
}

async function run(db: Database, mode: "create" | "table", s: Step): Promise<void> {
  const callback = (t: Blueprint) => {
    if (mode === "create") t.increments("id");
    for (const action of s.actions) apply(t, action);
  };
  if (mode === "create") await db.schema.create(s.table, callback);
  else await db.schema.table(s.table, callback);
}

const js = (value: unknown) => JSON.stringify(value);

function renderColumn(col: Col): string {
  let text =
    col.type === "string"
      ? `t.string(${js(col.name)}, ${col.length})`
      : col.type === "decimal"
        ? `t.decimal(${js(col.name)}, ${col.precision}, ${col.scale})`
        : `t.${col.type}(${js(col.name)})`;
  if (col.nullable) text += ".nullable()";
  if (col.default !== undefined) text += `.default(${js(col.default)})`;
  if (col.comment !== undefined) text += `.comment(${js(col.comment)})`;
  return text;
}

function renderAction(action: Action): string {
  switch (action.kind) {
    case "column":
      return `${renderColumn(action.col)}${action.change ? ".change()" : ""};`;
    case "dropColumn":
      return `t.dropColumn(${js(action.name)});`;
    case "renameColumn":
      return `t.renameColumn(${js(action.from)}, ${js(action.to)});`;
    case "index":
      return `t.${action.type}(${js(action.columns)}${action.name ? `, ${js(action.name)}` : ""});`;
    case "dropIndex":
      return `t.${action.type === "unique" ? "dropUnique" : "dropIndex"}(${js(action.columns)});`;
    case "foreign":
      return `t.foreign(${js(action.column)}${action.name ? `, ${js(action.name)}` : ""}).references("id").on(${js(action.on)}).onDelete(${js(action.onDelete)});`;
    case "dropForeign":
      return `t.dropForeign(${js(action.target)});`;
  }
}

/** One schema.table() call for the ups of a group, in order… */
function upOf(s: Scenario, call: readonly number[]): Step {
  return { table: s.ops[call[0]!]!.up.table, actions: call.flatMap((i) => s.ops[i]!.up.actions) };
}

/** …and one for their downs, in reverse. */
function downOf(s: Scenario, call: readonly number[]): Step {
  return { table: s.ops[call[0]!]!.down.table, actions: [...call].reverse().flatMap((i) => s.ops[i]!.down.actions) };
}

function callName(s: Scenario, call: readonly number[]): string {
  return `${call.map((i) => i + 1).join("+")}: ${call.map((i) => s.ops[i]!.label).join("; ")}`;
}

function renderStep(mode: "create" | "table", s: Step): string {
  const body = [...(mode === "create" ? ['t.increments("id");'] : []), ...s.actions.map(renderAction)];
  return `await db.schema.${mode}(${js(s.table)}, (t) => { ${body.join(" ")} });`;
}

function renderRows(table: TableModel): string {
  const names = table.columns.map((c) => c.name);
  const rows = table.rows.map((row) => [row.id, ...table.columns.map((c) => row.values[c.uid] ?? null)]);
  return `// rows of ${table.name} [${["id", ...names].join(", ")}]: ${js(rows)}`;
}

function renderScenario(s: Scenario): string {
  const lines = s.creates.map((c) => renderStep("create", c));
  if (s.original.parent) lines.push(renderRows(s.original.parent));
  lines.push(renderRows({ ...s.original.child, rows: [...s.inserted] }));
  if (s.deletedIds.length) lines.push(`// then: delete from ${s.original.child.name} where id in (${s.deletedIds.join(", ")})`);
  for (const call of s.calls) lines.push(`// up ${callName(s, call)}`, renderStep("table", upOf(s, call)));
  for (const call of [...s.calls].reverse()) lines.push(`// down ${call.map((i) => i + 1).join("+")}`, renderStep("table", downOf(s, call)));
  return lines.map((line) => `    ${line}`).join("\n");
}

// ── reading back and comparing ───────────────────────────────────────────────

function expectedType(dialect: DialectName, col: Col): string {
  switch (col.type) {
    case "string":
      return dialect === "postgres" ? `character varying(${col.length})` : `varchar(${col.length})`;
    case "integer":
      return dialect === "mysql" ? "int" : "integer";
    case "unsignedInteger":
      return dialect === "mysql" ? "int unsigned" : "integer";
    case "bigInteger":
      return "bigint";
    case "boolean":
      return dialect === "mysql" ? "tinyint(1)" : "boolean";
    case "text":
      return "text";
    case "decimal":
      return { sqlite: `numeric(${col.precision}, ${col.scale})`, postgres: `numeric(${col.precision},${col.scale})`, mysql: `decimal(${col.precision},${col.scale})` }[dialect];
    case "date":
      return "date";
  }
}

/** What the model can predict of a column on every dialect (exact default text is the dialect's). */
function columnShape(c: ColumnInfo) {
  return { name: c.name, type: c.type, nullable: c.nullable, hasDefault: c.default !== null, comment: c.comment };
}

function expectedColumns(dialect: DialectName, table: TableModel) {
  return [
    { name: "id", type: dialect === "mysql" ? "int unsigned" : "integer", nullable: false, hasDefault: false, comment: null },
    ...table.columns.map((col) => ({
      name: col.name,
      type: expectedType(dialect, col),
      nullable: col.nullable,
      hasDefault: col.default !== undefined,
      comment: col.comment ?? null,
    })),
  ];
}

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Booleans, numbers and dates as the drivers return them, made comparable. */
function normalize(type: ColType, value: unknown): Raw {
  if (value === null || value === undefined) return null;
  switch (type) {
    case "boolean":
      if (value === true || value === 1 || value === "1" || value === 1n) return true;
      if (value === false || value === 0 || value === "0" || value === 0n) return false;
      return `unexpected boolean ${String(value)}`;
    case "integer":
    case "bigInteger":
    case "unsignedInteger":
    case "decimal":
      return Number(value) + 0;
    case "date":
      return value instanceof Date
        ? `${value.getFullYear()}-${pad(value.getMonth() + 1, 2)}-${pad(value.getDate(), 2)}`
        : String(value).slice(0, 10);
    default:
      return Buffer.isBuffer(value) ? value.toString("utf8") : String(value);
  }
}

function expectedRows(table: TableModel) {
  return table.rows.map((row) => ({
    id: row.id,
    ...Object.fromEntries(table.columns.map((c) => [c.name, normalize(c.type, row.values[c.uid] ?? null)])),
  }));
}

async function readRows(db: Database, table: TableModel) {
  const q = (name: string) => db.grammar.quoteIdentifier(name);
  const rows = await db.query<Record<string, unknown>>(`select * from ${q(table.name)} order by ${q("id")}`);
  return rows.map((row) => ({
    id: Number(row.id),
    ...Object.fromEntries(table.columns.map((c) => [c.name, normalize(c.type, row[c.name])])),
  }));
}

/** The model's prediction against the live tables: columns, indexes, foreign keys and rows. */
async function assertMatches(db: Database, dialect: DialectName, tables: Tables, when: string): Promise<void> {
  for (const table of [tables.parent, tables.child]) {
    if (!table) continue;
    const name = (uid: number) => columnByUid(table, uid).name;
    const columns = await db.schema.getColumns(table.name);
    assert.deepEqual(columns.map(columnShape), expectedColumns(dialect, table), `${when}: columns of ${table.name}`);
    const indexes = await db.schema.getIndexes(table.name);
    assert.deepEqual(indexes.filter((i) => i.primary).map((i) => [...i.columns]), [["id"]], `${when}: primary key of ${table.name}`);
    assert.deepEqual(
      indexes.filter((i) => !i.primary).map((i) => ({ name: i.name, columns: [...i.columns], unique: i.unique })).sort(byName),
      table.indexes.map((i) => ({ name: i.name, columns: i.columns.map(name), unique: i.unique })).sort(byName),
      `${when}: indexes of ${table.name}`,
    );
    const foreignKeys = await db.schema.getForeignKeys(table.name);
    assert.deepEqual(
      foreignKeys.map((f) => ({ name: f.name, columns: [...f.columns], foreignTable: f.foreignTable, foreignColumns: [...f.foreignColumns], onDelete: f.onDelete })).sort(byName),
      table.foreignKeys.map((f) => ({ name: f.name, columns: [name(f.column)], foreignTable: tables.parent!.name, foreignColumns: ["id"], onDelete: f.onDelete })).sort(byName),
      `${when}: foreign keys of ${table.name}`,
    );
    assert.deepEqual(await readRows(db, table), expectedRows(table), `${when}: rows of ${table.name}`);
  }
}

/** Everything the introspector says about the tables; foreign keys by name (SQLite lists them in declaration order). */
async function introspect(db: Database, tables: Tables): Promise<Record<string, TableShape>> {
  const result: Record<string, TableShape> = {};
  for (const table of [tables.parent, tables.child]) {
    if (!table) continue;
    const shape = await tableShape(db, table.name);
    result[table.name] = { ...shape, foreignKeys: shape.foreignKeys.sort(byName) };
  }
  return result;
}

async function insert(db: Database, table: string, names: readonly string[], rows: readonly (readonly Raw[])[]): Promise<void> {
  if (rows.length === 0) return;
  const q = (name: string) => db.grammar.quoteIdentifier(name);
  let n = 0;
  const values = rows.map((row) => `(${row.map(() => db.grammar.parameter(++n)).join(", ")})`).join(", ");
  await db.execute(`insert into ${q(table)} (${names.map(q).join(", ")}) values ${values}`, rows.flat());
}

async function maxId(db: Database, table: string): Promise<number> {
  const q = (name: string) => db.grammar.quoteIdentifier(name);
  const [row] = await db.query<{ m: unknown }>(`select max(${q("id")}) as m from ${q(table)}`);
  return Number(row!.m);
}

/** Run one sequence and drop its tables; a failure comes back as a printable report, null when the property held. */
async function runScenario(db: Database, dialect: DialectName, seed: number, index: number, coverage: Map<string, number>): Promise<string | null> {
  let phase = "generate";
  let scenario: Scenario | undefined;
  try {
    scenario = generate(seed);
    await check(db, dialect, scenario, coverage, (now) => (phase = now));
    phase = "drop the tables";
    await dropTables(db, scenario);
    return null;
  } catch (error) {
    if (scenario) await dropTables(db, scenario).catch(() => undefined);
    // An assertion's message says it all; anything else keeps a few frames to show where it came from.
    const message =
      error instanceof assert.AssertionError
        ? error.message
        : error instanceof Error
          ? (error.stack ?? error.message).split("\n").slice(0, 12).join("\n")
          : String(error);
    return [
      `alter property failed on ${dialect}, sequence ${index + 1} of ${RUNS} (base seed ${SEED}), at: ${phase}`,
      indent(message.split("\n").slice(0, 80).join("\n")),
      "  reproduce:",
      `    npx tsc -p tsconfig.json && PROPERTY_SEED=${seed} PROPERTY_RUNS=1 DIALECTS=${dialect} node --test dist/test/integration/alter-property.test.js`,
      "  sequence:",
      scenario ? renderScenario(scenario) : "    (not generated)",
    ].join("\n");
  }
}

async function dropTables(db: Database, scenario: Scenario): Promise<void> {
  await db.schema.dropIfExists(scenario.original.child.name);
  if (scenario.original.parent) await db.schema.dropIfExists(scenario.original.parent.name);
}

async function check(
  db: Database,
  dialect: DialectName,
  scenario: Scenario,
  coverage: Map<string, number>,
  at: (phase: string) => void,
): Promise<void> {
  const count = (tag: string) => coverage.set(tag, (coverage.get(tag) ?? 0) + 1);
  const { original, final, ops } = scenario;
  for (const op of ops) op.tags.forEach(count);
  count(`sequences of ${ops.length} op(s)`);
  for (const call of scenario.calls) if (call.length > 1) count("table() calls carrying several ops");
  if (original.parent) count("sequences with a referenced table");
  if (original.child.foreignKeys.length) count("sequences with a foreign key at creation");
  if (original.child.rows.length) count("sequences with child rows");
  if (scenario.deletedIds.length) count("sequences with deleted rows (counter ahead of max id)");
  at("create the tables");
  for (const create of scenario.creates) await run(db, "create", create);

  at("insert the rows");
  if (original.parent) {
    const p = original.parent;
    await insert(db, p.name, p.columns.map((c) => c.name), p.rows.map((row) => p.columns.map((c) => row.values[c.uid]!)));
  }
  const c = original.child;
  await insert(db, c.name, c.columns.map((col) => col.name), scenario.inserted.map((row) => c.columns.map((col) => row.values[col.uid]!)));
  if (scenario.deletedIds.length) {
    const q = (name: string) => db.grammar.quoteIdentifier(name);
    const list = scenario.deletedIds.map((_, i) => db.grammar.parameter(i + 1)).join(", ");
    await db.execute(`delete from ${q(c.name)} where ${q("id")} in (${list})`, scenario.deletedIds);
  }

  at("check the original tables");
  await assertMatches(db, dialect, original, "before the ups");
  const before = await introspect(db, original);

  for (const call of scenario.calls) {
    at(`up ${callName(scenario, call)}`);
    await run(db, "table", upOf(scenario, call));
    await assertMatches(db, dialect, ops[call.at(-1)!]!.after, `after up ${call.map((i) => i + 1).join("+")}`);
  }
  for (const call of [...scenario.calls].reverse()) {
    at(`down ${callName(scenario, call)}`);
    await run(db, "table", downOf(scenario, call));
  }

  at("check after the downs");
  assert.deepEqual(await introspect(db, original), before, "after the downs the introspected schema equals the original");
  await assertMatches(db, dialect, final, "after the downs");

  at("insert after the downs");
  const names = final.child.columns.map((col) => col.name);
  const probe = names.map((name) => scenario.probe[name]!);
  await insert(db, final.child.name, names, [probe]);
  assert.equal(await maxId(db, final.child.name), scenario.inserted.length + 1, "the auto-increment counter kept its place");
  for (const fk of final.child.foreignKeys) {
    const column = columnByUid(final.child, fk.column).name;
    const bad = names.map((name, i) => (name === column ? MISSING_PARENT_ID : probe[i]!));
    await assert.rejects(
      insert(db, final.child.name, names, [bad]),
      (e: unknown) => e instanceof Error && /foreign key/i.test(e.message),
      `foreign key ${fk.name} is still enforced`,
    );
    count("foreign keys checked as enforced at the end");
  }
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}

for (const dialect of DIALECTS) {
  describe(`alter property on ${dialect}`, () => {
    test(`${RUNS} random alter sequences: ups do what was asked, downs restore the schema exactly, rows survive (seed ${SEED})`, async (t) => {
      await withDatabase(dialect, async (db) => {
        const failures: string[] = [];
        const coverage = new Map<string, number>();
        for (let i = 0; i < RUNS && failures.length < Math.max(1, MAX_FAILURES); i++) {
          const failure = await runScenario(db, dialect, (SEED + i) >>> 0, i, coverage);
          if (failure) failures.push(failure);
        }
        for (const [tag, n] of [...coverage].sort(([a], [b]) => (a < b ? -1 : 1))) t.diagnostic(`${tag}: ${n}`);
        if (failures.length > 0) assert.fail(`${failures.length} failing sequence(s):\n\n${failures.join("\n\n")}`);
      });
    });
  });
}
