import type { CheckInfo } from "../schema/live-schema.js";

/**
 * How PostgreSQL names a column's check and how Mortar tells its own enum check (a
 * varchar column limited by `check (col in (…))`) from a check written in raw SQL.
 */

/**
 * PostgreSQL's own name for a column's check constraint (makeObjectName in
 * src/backend/commands/indexcmds.c): `{table}_{column}_check`, and when that is over
 * 63 bytes the longer of table and column loses a byte at a time, clipped to whole
 * characters. Matching it keeps tables made with an unnamed inline check in reach.
 */
export function enumCheckName(table: string, column: string, maxLength = 63): string {
  const label = "check";
  const available = maxLength - Buffer.byteLength(label) - 2;
  let tableBytes = Buffer.byteLength(table);
  let columnBytes = Buffer.byteLength(column);
  while (tableBytes + columnBytes > available) {
    if (tableBytes > columnBytes) tableBytes--;
    else columnBytes--;
  }
  return `${clipBytes(table, tableBytes)}_${clipBytes(column, columnBytes)}_${label}`;
}

/** The longest prefix of whole characters that fits in `bytes` UTF-8 bytes. */
function clipBytes(text: string, bytes: number): string {
  let result = "";
  for (const char of text) {
    if (Buffer.byteLength(result + char) > bytes) break;
    result += char;
  }
  return result;
}

/**
 * Whether a check is the one Mortar writes for an enum, `"col" in ('a', …)`, as
 * pg_get_constraintdef prints it: `(((col)::text = ANY ((ARRAY['a'::character varying,
 * …])::text[])))`, or `(((col)::text = 'a'::text))` for a single value.
 */
export function isEnumCheck(check: CheckInfo, column: string): boolean {
  if (check.columns.length !== 1 || check.columns[0] !== column) return false;
  const match = /^\(\(\((.+)\)::text = (?:ANY \(\(ARRAY\[.*\]\)::text\[\]\)|'.*'::text)\)\)$/s.exec(check.expression);
  if (!match) return false;
  return match[1] === column || match[1] === `"${column.replaceAll('"', '""')}"`;
}
