/**
 * The driver error under Mortar's wrappers (QueryError and friends keep it as `cause`),
 * searched for a property: PostgreSQL's SQLSTATE `code`, MySQL's `errno`.
 */
export function driverErrorField(error: unknown, field: "code" | "errno"): unknown[] {
  const found: unknown[] = [];
  for (let current: unknown = error, depth = 0; current && typeof current === "object" && depth < 6; depth++) {
    const value = (current as Record<string, unknown>)[field];
    if (value !== undefined) found.push(value);
    current = (current as { cause?: unknown }).cause;
  }
  return found;
}

/** The quoted identifiers of a statement (`"t"`, `` `t` ``): the relations it may wait on. */
export function quotedNames(sql: string, quote: '"' | "`"): string[] {
  const pattern = quote === '"' ? /"((?:[^"]|"")+)"/g : /`((?:[^`]|``)+)`/g;
  return [...new Set([...sql.matchAll(pattern)].map((m) => m[1]!.replaceAll(quote + quote, quote)))];
}

/** A query text on one line, shortened for an error message. */
export function oneLine(sql: unknown, max = 200): string {
  const text = String(sql ?? "").replace(/\s+/g, " ").trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
