import { connect, MortarError, Migrator, type MortarErrorCode } from "mortar";

// The library API beside migrations: connect, migrate, switch on an error's code.
export async function migrateOrExplain(): Promise<MortarErrorCode | "OK"> {
  const db = await connect({ driver: "sqlite", database: ":memory:" });
  try {
    const result = await new Migrator(db, { path: "migrations" }).migrate();
    return result.error?.code ?? "OK";
  } catch (error) {
    if (error instanceof MortarError && error.code === "DRIVER_MISSING") return error.code;
    throw error;
  } finally {
    await db.close();
  }
}
