/**
 * Names in generated TypeScript: interface names from table names (kysely-codegen's
 * convention, PascalCase of the name as it is: `blog_posts` → `BlogPosts`) and property
 * keys, quoted when they are not identifiers.
 */

const IDENTIFIER = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;

/** Words TypeScript does not accept as a type name. */
const RESERVED_TYPE_NAMES = new Set([
  "any", "boolean", "never", "number", "object", "string", "symbol", "undefined", "unknown", "bigint", "void", "null",
]);

/** `blog_posts` → `BlogPosts`, `user-roles` → `UserRoles`, `2fa` → `T2fa`. */
export function pascalCase(name: string): string {
  const words = name.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const joined = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
  if (joined === "") return "Table";
  return /^\p{N}/u.test(joined) ? `T${joined}` : joined;
}

/**
 * Interface names for tables, distinct from each other and from `taken` (the helper
 * types the module defines): a clash gets `Table`, then a number, appended.
 */
export function interfaceNames(tables: readonly string[], taken: ReadonlySet<string>): Map<string, string> {
  const used = new Set(taken);
  const names = new Map<string, string>();
  for (const table of tables) {
    const base = pascalCase(table);
    let name = used.has(base) || RESERVED_TYPE_NAMES.has(base.toLowerCase()) ? `${base}Table` : base;
    for (let n = 2; used.has(name); n++) name = `${base}Table${n}`;
    used.add(name);
    names.set(table, name);
  }
  return names;
}

/** A property key: bare when it is an identifier, else a quoted string. */
export function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}
