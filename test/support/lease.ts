import type { TempProject } from "./project.js";
import { MIGRATIONS_DIR, migrationName, tableName } from "./safe-runs.js";
import { connect } from "../../src/dialect/connect.js";
import type { ConnectionConfig } from "../../src/dialect/dialect.js";

/** The marker a waiting migration prints before it changes anything. */
export const WAITING_MARKER = "lease test: holding the lock, nothing changed yet";

/**
 * Migration `i` that prints WAITING_MARKER and waits MORTAR_TEST_WAIT_MS inside up()
 * before it creates its table: a run killed while it waits has changed nothing (on
 * every dialect), so the next run can apply it cleanly.
 */
export function waitingMigrationSource(i: number): string {
  const table = tableName(i);
  return `import { Migration } from "mortar";
export default class extends Migration {
  async up() {
    console.log(${JSON.stringify(WAITING_MARKER)});
    await new Promise((resolve) => setTimeout(resolve, Number(process.env.MORTAR_TEST_WAIT_MS ?? "0")));
    await this.schema.create("${table}", (t) => { t.increments("id"); t.string("name"); });
  }
  async down() { await this.schema.drop("${table}"); }
}
`;
}

export function writeWaitingMigration(project: TempProject, i: number): string {
  project.write(`${MIGRATIONS_DIR}/${migrationName(i)}.mjs`, waitingMigrationSource(i));
  return migrationName(i);
}

/** Rows of the lease table (`migrations_lock`), or undefined when it does not exist. */
export async function leaseRows(config: ConnectionConfig, table = "migrations_lock"): Promise<{ name: string; owner: string }[] | undefined> {
  const db = await connect(config);
  try {
    if (!(await db.schema.hasTable(table))) return undefined;
    const q = (n: string) => db.grammar.quoteIdentifier(n);
    return (await db.read<{ name: string; owner: string }>(`select ${q("name")}, ${q("owner")} from ${q(table)}`)).map((r) => ({ name: String(r.name), owner: String(r.owner) }));
  } finally {
    await db.close();
  }
}
