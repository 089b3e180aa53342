/**
 * Reads the CREATE TABLE text SQLite keeps in sqlite_schema. SQLite's pragmas omit
 * what Mortar needs from it (constraint names, column comments, AUTOINCREMENT), and a
 * table rebuild must restate each column exactly as it was written. This is a
 * tokenizer plus the structure of the column list, not a full SQL parser.
 */

export type SqlTokenKind = "word" | "identifier" | "string" | "comment" | "punct";

export interface SqlToken {
  readonly kind: SqlTokenKind;
  /** The token as written. */
  readonly text: string;
  /** Quoted identifiers and strings unquoted; words as written; comments without their markers. */
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

export interface ParsedColumn {
  readonly name: string;
  /** The definition as written, from the name to its last token, without a trailing comment. */
  readonly definition: string;
  /** The text of a Mortar comment (`/* comment: "json" *\/`), or null. */
  readonly comment: string | null;
}

export type ConstraintKind = "primary key" | "unique" | "check" | "foreign key";

export interface ParsedConstraint {
  readonly kind: ConstraintKind;
  /** The name given with `constraint "name"`, or null. */
  readonly name: string | null;
  /** Key columns in order (primary key, unique, foreign key); empty for check. */
  readonly columns: readonly string[];
  /** Foreign keys only: the referenced table and columns (columns empty when omitted). */
  readonly foreignTable: string | null;
  readonly foreignColumns: readonly string[];
  /** The constraint as written, without comments around it. */
  readonly text: string;
}

export interface ParsedCreateTable {
  readonly table: string;
  readonly columns: readonly ParsedColumn[];
  readonly constraints: readonly ParsedConstraint[];
  /** What follows the column list, e.g. `without rowid, strict` ("" when nothing). */
  readonly options: string;
}

const CLOSING_QUOTE: Record<string, string> = { '"': '"', "`": "`", "[": "]", "'": "'" };
const CONSTRAINT_START = new Set(["constraint", "primary", "unique", "check", "foreign"]);

/**
 * Split SQL into tokens. Lenient by design: it reads text SQLite has already accepted,
 * so an unterminated quote or comment simply runs to the end.
 *
 * @example
 * tokenizeSql(`"a""b" -- x`).map((t) => t.value); // ['a"b', " x"]
 */
export function tokenizeSql(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  const push = (kind: SqlTokenKind, end: number, value: string) => {
    tokens.push({ kind, text: sql.slice(i, end), value, start: i, end });
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (sql.startsWith("--", i)) {
      const newline = sql.indexOf("\n", i);
      const end = newline === -1 ? sql.length : newline;
      push("comment", end, sql.slice(i + 2, end));
    } else if (sql.startsWith("/*", i)) {
      const close = sql.indexOf("*/", i + 2);
      const end = close === -1 ? sql.length : close + 2;
      push("comment", end, sql.slice(i + 2, close === -1 ? end : close));
    } else if (c in CLOSING_QUOTE) {
      const { end, value } = readQuoted(sql, i, CLOSING_QUOTE[c]!);
      push(c === "'" ? "string" : "identifier", end, value);
    } else if (/[\p{L}\p{N}_$]/u.test(c) || c.charCodeAt(0) > 0x7f) {
      let end = i + 1;
      while (end < sql.length && (/[\p{L}\p{N}_$]/u.test(sql[end]!) || sql.charCodeAt(end) > 0x7f)) end++;
      push("word", end, sql.slice(i, end));
    } else {
      push("punct", i + 1, c);
    }
  }
  return tokens;
}

/** A quoted run starting at `start`; the closing quote written twice stands for itself. */
function readQuoted(sql: string, start: number, close: string): { end: number; value: string } {
  let value = "";
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === close) {
      // `[...]` has no escape: the first `]` ends it.
      if (close !== "]" && sql[i + 1] === close) {
        value += close;
        i += 2;
        continue;
      }
      return { end: i + 1, value };
    }
    value += c;
    i++;
  }
  return { end: sql.length, value };
}

/**
 * The text of a Mortar column comment, or null when `comment` is some other SQL
 * comment. `comment` is the token's value (without the comment markers).
 */
export function parseMortarComment(comment: string): string | null {
  const match = /^\s*comment:\s*("[\s\S]*")\s*$/.exec(comment);
  if (!match) return null;
  try {
    const value: unknown = JSON.parse(match[1]!);
    return typeof value === "string" ? value : null;
  } catch {
    return null;
  }
}

/**
 * Structure of a `create table` statement as stored by SQLite.
 *
 * @example
 * parseCreateTable(`create table "t" ("id" integer /* comment: "key" *\/, constraint "pk" primary key ("id"))`);
 * // { table: "t", columns: [{ name: "id", definition: '"id" integer', comment: "key" }], constraints: [{ kind: "primary key", name: "pk", ... }] }
 */
export function parseCreateTable(sql: string): ParsedCreateTable {
  const tokens = tokenizeSql(sql);
  const open = tokens.findIndex((t) => isPunct(t, "("));
  const table = open > 0 ? nameBefore(tokens, open) : "";
  if (open === -1) return { table, columns: [], constraints: [], options: "" };

  const elements: SqlToken[][] = [[]];
  let depth = 1;
  let close = tokens.length;
  for (let i = open + 1; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (isPunct(token, "(")) depth++;
    if (isPunct(token, ")")) depth--;
    if (depth === 0) {
      close = i;
      break;
    }
    if (depth === 1 && isPunct(token, ",")) elements.push([]);
    else elements[elements.length - 1]!.push(token);
  }

  const columns: ParsedColumn[] = [];
  const constraints: ParsedConstraint[] = [];
  for (const element of elements) {
    const code = element.filter((t) => t.kind !== "comment");
    if (code.length === 0) continue;
    const text = sql.slice(code[0]!.start, code[code.length - 1]!.end);
    const first = code[0]!;
    if (first.kind === "word" && CONSTRAINT_START.has(foldIdentifier(first.value))) {
      constraints.push(parseConstraint(code, text));
    } else {
      const comments = element.map((t) => (t.kind === "comment" ? parseMortarComment(t.value) : null)).filter((c) => c !== null);
      columns.push({ name: first.value, definition: text, comment: comments.length ? comments[comments.length - 1]! : null });
    }
  }
  const rest = tokens.slice(close + 1).filter((t) => t.kind !== "comment" && !isPunct(t, ";"));
  const options = rest.length ? sql.slice(rest[0]!.start, rest[rest.length - 1]!.end) : "";
  return { table, columns, constraints, options };
}

/**
 * The name of a named inline foreign key in a column definition
 * (`"user_id" integer constraint "fk" references "users" ("id")`), or null.
 */
export function inlineForeignKeyName(definition: string): string | null {
  const code = tokenizeSql(definition).filter((t) => t.kind !== "comment");
  for (let i = 0; i + 2 < code.length; i++) {
    if (isWord(code[i]!, "constraint") && isWord(code[i + 2]!, "references")) return code[i + 1]!.value;
  }
  return null;
}

/** Whether `definition` holds `keyword` as a bare word (not inside a string, name or comment). */
export function hasKeyword(definition: string, keyword: string): boolean {
  return tokenizeSql(definition).some((t) => isWord(t, keyword));
}

function parseConstraint(code: SqlToken[], text: string): ParsedConstraint {
  let i = 0;
  let name: string | null = null;
  if (isWord(code[0]!, "constraint")) {
    name = code[1]?.value ?? null;
    i = 2;
  }
  const keyword = code[i] ? foldIdentifier(code[i]!.value) : undefined;
  const kind: ConstraintKind =
    keyword === "primary" ? "primary key" : keyword === "foreign" ? "foreign key" : keyword === "unique" ? "unique" : "check";
  const base = { kind, name, text, foreignTable: null, foreignColumns: [] as string[] };
  if (kind === "check") return { ...base, columns: [] };
  const open = code.findIndex((t, at) => at > i && isPunct(t, "("));
  const columns = open === -1 ? [] : listAt(code, open);
  if (kind !== "foreign key") return { ...base, columns };

  const references = code.findIndex((t) => isWord(t, "references"));
  if (references === -1) return { ...base, columns };
  // `references "schema"."t"` is possible in principle; the table is the last name before "(" or an action.
  let at = references + 1;
  let foreignTable = code[at]?.value ?? null;
  while (code[at + 1] && isPunct(code[at + 1]!, ".") && code[at + 2]) {
    at += 2;
    foreignTable = code[at]!.value;
  }
  const foreignColumns = code[at + 1] && isPunct(code[at + 1]!, "(") ? listAt(code, at + 1) : [];
  return { ...base, columns, foreignTable, foreignColumns };
}

/** The first name of each comma-separated item in the parenthesised list at `open`. */
function listAt(code: SqlToken[], open: number): string[] {
  const names: string[] = [];
  let depth = 0;
  let expectName = true;
  for (let i = open; i < code.length; i++) {
    const token = code[i]!;
    if (isPunct(token, "(")) depth++;
    else if (isPunct(token, ")")) {
      if (--depth === 0) break;
    } else if (depth === 1 && isPunct(token, ",")) expectName = true;
    else if (depth === 1 && expectName) {
      names.push(token.value);
      expectName = false;
    }
  }
  return names;
}

/** The table name just before the column list (after any `schema.`). */
function nameBefore(tokens: SqlToken[], open: number): string {
  for (let i = open - 1; i >= 0; i--) {
    const token = tokens[i]!;
    if (token.kind === "identifier" || token.kind === "word" || token.kind === "string") return token.value;
  }
  return "";
}

function isPunct(token: SqlToken, char: string): boolean {
  return token.kind === "punct" && token.value === char;
}

function isWord(token: SqlToken | undefined, word: string): boolean {
  return token?.kind === "word" && foldIdentifier(token.value) === word;
}

/**
 * An identifier as SQLite compares it: only the ASCII letters A-Z fold to lower case,
 * so `"ö"` and `"Ö"` are two different columns while `"A"` and `"a"` are one.
 * (`toLowerCase()` would fold every script and merge columns SQLite keeps apart.)
 */
export function foldIdentifier(name: string): string {
  return name.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/** Whether SQLite takes `a` and `b` for the same identifier. */
export function sameIdentifier(a: string, b: string): boolean {
  return foldIdentifier(a) === foldIdentifier(b);
}

/** Words that end a column's type name and start its constraints. */
const COLUMN_CONSTRAINT_WORDS = new Set(["constraint", "primary", "not", "null", "unique", "check", "default", "collate", "references", "generated", "as"]);

/**
 * The declared type of a column definition as SQLite reads it (the words between the
 * name and the first constraint), lower-cased; "" when the column has no type.
 *
 * @example
 * declaredType(`"id" INTEGER primary key`); // "integer"
 */
export function declaredType(definition: string): string {
  const code = tokenizeSql(definition).filter((t) => t.kind !== "comment");
  let depth = 0;
  let last = 0;
  for (let i = 1; i < code.length; i++) {
    const token = code[i]!;
    if (depth === 0 && token.kind === "word" && COLUMN_CONSTRAINT_WORDS.has(foldIdentifier(token.value))) break;
    if (isPunct(token, "(")) depth++;
    if (isPunct(token, ")")) depth--;
    last = i;
  }
  return last === 0 ? "" : foldIdentifier(definition.slice(code[1]!.start, code[last]!.end));
}

/** A CHECK written inside a column definition: its text (with `constraint "name"` when named). */
export interface ColumnCheck {
  readonly name: string | null;
  readonly text: string;
  /** The parenthesised expression, as written. */
  readonly expression: string;
}

/**
 * Every `[constraint name] check (…)` inside one column definition, in order.
 *
 * @example
 * columnChecks(`"qty" integer check ("qty" > 0)`); // [{ name: null, text: 'check ("qty" > 0)', expression: '("qty" > 0)' }]
 */
export function columnChecks(definition: string): ColumnCheck[] {
  const code = tokenizeSql(definition).filter((t) => t.kind !== "comment");
  const checks: ColumnCheck[] = [];
  for (let i = 1; i < code.length; i++) {
    if (!isWord(code[i], "check") || !code[i + 1] || !isPunct(code[i + 1]!, "(")) continue;
    let depth = 0;
    let close = i + 1;
    for (; close < code.length; close++) {
      if (isPunct(code[close]!, "(")) depth++;
      if (isPunct(code[close]!, ")") && --depth === 0) break;
    }
    const named = i >= 2 && isWord(code[i - 2], "constraint");
    const start = named ? code[i - 2]! : code[i]!;
    const end = code[Math.min(close, code.length - 1)]!;
    checks.push({
      name: named ? code[i - 1]!.value : null,
      text: definition.slice(start.start, end.end),
      expression: definition.slice(code[i + 1]!.start, end.end),
    });
    i = close;
  }
  return checks;
}
