/**
 * A light reading of raw SQL: enough to tell a plain SELECT, a data change and a schema
 * change apart by each statement's first keyword. Not a parser; what it cannot place is
 * treated as neither plain nor data.
 */

/** The statements of `sql`, split on semicolons outside quotes and comments, comments removed. */
export function statementsOf(sql: string): string[] {
  const statements: string[] = [];
  let current = "";
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (ch === "-" && next === "-") {
      const end = sql.indexOf("\n", i);
      i = end === -1 ? sql.length : end + 1;
      current += " ";
    } else if (ch === "/" && next === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end === -1 ? sql.length : end + 2;
      current += " ";
    } else if (ch === "'" || ch === '"' || ch === "`") {
      let end = i + 1;
      while (end < sql.length && sql[end] !== ch) end += sql[end] === "\\" && ch !== '"' ? 2 : 1;
      current += sql.slice(i, end + 1);
      i = end + 1;
    } else if (ch === ";") {
      statements.push(current);
      current = "";
      i += 1;
    } else {
      current += ch;
      i += 1;
    }
  }
  statements.push(current);
  return statements.map((s) => s.trim()).filter((s) => s.length > 0);
}

function firstKeyword(statement: string): string {
  return /^[\s(]*([a-z]+)/i.exec(statement)?.[1]?.toLowerCase() ?? "";
}

const LOCKING_READ = /\bfor\s+(update|share|no\s+key\s+update|key\s+share)\b/i;

/** A SELECT that only reads: no INTO (creates a table or writes variables), no row locks. */
export function isPlainSelect(sql: string): boolean {
  const statements = statementsOf(sql);
  return (
    statements.length > 0 &&
    statements.every((s) => firstKeyword(s) === "select" && !/\binto\b/i.test(s) && !LOCKING_READ.test(s))
  );
}

const DATA_KEYWORDS = new Set(["insert", "update", "delete", "merge", "replace", "copy"]);

/** Whether `sql` changes rows (INSERT/UPDATE/DELETE/MERGE…, or a WITH that does). */
export function changesData(sql: string): boolean {
  return statementsOf(sql).some((s) => {
    const keyword = firstKeyword(s);
    if (DATA_KEYWORDS.has(keyword)) return true;
    return keyword === "with" && /\b(insert|update|delete|merge)\b/i.test(s);
  });
}

const SCHEMA_KEYWORDS = new Set(["alter", "drop", "create", "truncate", "rename", "comment"]);

/** Whether `sql` changes the schema (ALTER, DROP, CREATE, …). */
export function changesSchema(sql: string): boolean {
  return statementsOf(sql).some((s) => SCHEMA_KEYWORDS.has(firstKeyword(s)));
}

/**
 * The statement shortened for a message: one line, at most 80 characters, string literals
 * shown as '…' (a raw statement may carry a password or personal data).
 */
export function excerpt(sql: string): string {
  const line = sql
    .replace(/'(?:[^'\\]|\\.|'')*'/g, "'…'")
    .replace(/\s+/g, " ")
    .trim();
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}
