/**
 * Split a dump into statements. A `;` ends a statement only outside quotes ('…', "…",
 * `…`, PostgreSQL $tag$…$tag$), comments, and — in CREATE TRIGGER — outside its
 * BEGIN … END body, where CASE … END nests too. Comment-only text is dropped.
 *
 * @example
 * splitStatements("create table a (x int);\n-- note\ninsert into a values (';');")
 * // ["create table a (x int)", "insert into a values (';')"]
 */
export function splitStatements(sql: string, options: { backslashEscapes?: boolean } = {}): string[] {
  const statements: string[] = [];
  let start = 0;
  let depth = 0;
  let trigger: boolean | undefined;
  let words: string[] = [];
  let i = 0;
  const finish = (end: number) => {
    const text = stripComments(sql.slice(start, end)).trim();
    if (text !== "") statements.push(sql.slice(start, end).trim().replace(/^(?:--[^\n]*\n\s*)+/, ""));
    start = end + 1;
    depth = 0;
    trigger = undefined;
    words = [];
  };
  while (i < sql.length) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (ch === "-" && next === "-") {
      i = lineEnd(sql, i);
    } else if (ch === "/" && next === "*") {
      const close = sql.indexOf("*/", i + 2);
      i = close < 0 ? sql.length : close + 2;
    } else if (ch === "'" || ch === '"' || ch === "`") {
      // MySQL escapes with a backslash in every string; PostgreSQL only in E'…'.
      const escapes = ch === "'" && (options.backslashEscapes === true || /[Ee]/.test(sql[i - 1] ?? ""));
      i = quoteEnd(sql, i, ch, escapes);
    } else if (ch === "$" && /^\$[A-Za-z_]?\w*\$/.test(sql.slice(i, i + 64))) {
      const tag = /^\$[A-Za-z_]?\w*\$/.exec(sql.slice(i, i + 64))![0];
      const close = sql.indexOf(tag, i + tag.length);
      i = close < 0 ? sql.length : close + tag.length;
    } else if (/[A-Za-z_]/.test(ch)) {
      let end = i + 1;
      while (end < sql.length && /\w/.test(sql[end]!)) end++;
      const word = sql.slice(i, end).toLowerCase();
      if (trigger === undefined) {
        words.push(word);
        if (words.length >= 2 && words[0] === "create") {
          if (word === "trigger") trigger = true;
          else if (!["temp", "temporary", "or", "replace", "definer"].includes(word) && !word.includes("@")) trigger = false;
        } else if (words[0] !== "create") trigger = false;
      }
      if (trigger) {
        if (word === "begin" || word === "case") depth++;
        else if (word === "end") depth = Math.max(0, depth - 1);
      }
      i = end;
    } else if (ch === ";" && depth === 0) {
      finish(i);
      i++;
    } else {
      i++;
    }
  }
  finish(sql.length);
  return statements;
}

function lineEnd(sql: string, from: number): number {
  const end = sql.indexOf("\n", from);
  return end < 0 ? sql.length : end + 1;
}

/** Past the closing quote; a doubled quote is an escaped one, and so is a backslashed one where `escapes`. */
function quoteEnd(sql: string, from: number, quote: string, escapes: boolean): number {
  let i = from + 1;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "\\" && escapes) {
      i += 2;
      continue;
    }
    if (ch === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}

function stripComments(text: string): string {
  return text.replace(/--[^\n]*/g, "").replace(/\/\*[\s\S]*?\*\//g, "");
}
