/**
 * Can this statement have changed the database even though it failed? A single statement
 * the database rejects changes nothing (each is atomic on its own), so a typo in
 * `drop table ghost` leaves nothing to settle. Two shapes are not: a text of several
 * statements (the ones before the failing one ran) and a DROP or RENAME of several
 * tables (MariaDB drops `keep1` in `drop table keep1, missing` before failing). Pure.
 */
export function mayHavePartlyRun(sql: string): boolean {
  const code = withoutLiteralsAndComments(sql);
  return hasSeveralStatements(code) || MULTI_TABLE.test(code);
}

const MULTI_TABLE = /^\s*(drop\s+(temporary\s+)?(table|tables|view|views)|rename\s+tables?)\b[^;]*,/i;

function hasSeveralStatements(code: string): boolean {
  const parts = code.split(";").filter((part) => part.trim() !== "");
  return parts.length > 1;
}

/**
 * The text with string literals, quoted identifiers and comments blanked out, so a `;`
 * or `,` inside them is not taken for a separator.
 */
function withoutLiteralsAndComments(sql: string): string {
  let out = "";
  for (let i = 0; i < sql.length; ) {
    const c = sql[i]!;
    if (c === "'" || c === '"' || c === "`") {
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === "\\" && c === "'") j += 2;
        else if (sql[j] === c && sql[j + 1] === c) j += 2; // doubled quote
        else if (sql[j] === c) break;
        else j++;
      }
      out += " ";
      i = j + 1;
    } else if (c === "-" && sql[i + 1] === "-") {
      const end = sql.indexOf("\n", i);
      i = end === -1 ? sql.length : end;
    } else if (c === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
