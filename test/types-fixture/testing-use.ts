import { Database, MortarError } from "mortar";
import { closeTestDatabases, createTestDatabase, type TestDatabase } from "mortar/testing";

// mortar/testing in a user's test: a migrated database per test, typed as "mortar"'s Database.
export async function countUsers(): Promise<number> {
  const test: TestDatabase = await createTestDatabase({ connection: "sqlite", path: "migrations" });
  const db: Database = test.db;
  try {
    const [row] = await db.query<{ n: number }>("select count(*) as n from users");
    return row?.n ?? 0;
  } catch (error) {
    if (error instanceof MortarError) return -1;
    throw error;
  } finally {
    await test.drop();
    await closeTestDatabases();
  }
}

export const settings = (t: TestDatabase): string | undefined => t.config.database;
