import type { Database } from "../dialect/database.js";

/**
 * The tracking columns a dump carries. Not `id` (the table numbers rows itself, in the
 * order they are inserted, so its counter stays right), nor `executed_at` and
 * `duration_ms` (when a migration ran on the machine that dumped says nothing about
 * the schema, and would change the dump's bytes for no reason).
 */
const DUMPED_COLUMNS = ["migration", "batch", "checksum", "status"] as const;

/** One INSERT per tracking row, in the order the migrations were applied. */
export async function trackingInserts(db: Database, table: string): Promise<string[]> {
  if (!(await db.introspector.hasTable(table))) return [];
  const g = db.grammar;
  const present = new Set((await db.introspector.getColumns(table)).map((c) => c.name));
  const columns = DUMPED_COLUMNS.filter((c) => present.has(c));
  const order = present.has("id") ? `${g.quoteIdentifier("batch")}, ${g.quoteIdentifier("id")}` : `${g.quoteIdentifier("batch")}, ${g.quoteIdentifier("migration")}`;
  const rows = await db.read<Record<string, unknown>>(`select ${g.columnList(columns)} from ${g.quoteIdentifier(table)} order by ${order}`);
  return rows.map((row) => {
    const values = columns.map((c) => {
      const value = row[c];
      if (value === null || value === undefined) return "null";
      return c === "batch" ? String(Number(value)) : g.literal(String(value));
    });
    return `insert into ${g.quoteIdentifier(table)} (${g.columnList(columns)}) values (${values.join(", ")})`;
  });
}

/**
 * The migrations a dump records as ran, read back from its INSERTs into the tracking
 * table (what `migrate --pretend` treats as applied before the dump is loaded).
 */
export function migrationsInDump(statements: readonly string[], table: string, quote: (name: string) => string): { migration: string; batch: number }[] {
  const head = `insert into ${quote(table)} (`;
  const found: { migration: string; batch: number }[] = [];
  for (const statement of statements) {
    if (!statement.startsWith(head)) continue;
    const match = /values \('((?:[^'\\]|''|\\.)*)', (\d+)/.exec(statement);
    if (match) found.push({ migration: match[1]!.replaceAll("''", "'").replaceAll("\\\\", "\\"), batch: Number(match[2]) });
  }
  return found;
}
