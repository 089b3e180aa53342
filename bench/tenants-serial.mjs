// The in-process serial loop a fleet is compared with: one process, a new connection and
// a new Migrator per tenant, one tenant after another, nothing shared between them.
// Usage: node bench/tenants-serial.mjs plan.json   (plan: { path, tenants: [{ connection, schema? }] })
import { readFileSync } from "node:fs";

const { connect, Migrator } = await import(new URL("../dist/mortar.mjs", import.meta.url).href);
const plan = JSON.parse(readFileSync(process.argv[2], "utf8"));
for (const tenant of plan.tenants) {
  const db = await connect(tenant.connection);
  try {
    if (tenant.schema) await db.executeInternal(`set search_path to "${tenant.schema.replaceAll('"', '""')}"`);
    const migrator = new Migrator(db, { path: plan.path, ...(tenant.schema ? { lockScope: tenant.schema } : {}) });
    const result = await migrator.migrate();
    if (result.error) throw new Error(`${tenant.schema ?? tenant.connection.database}: ${result.error.message}`);
  } finally {
    await db.close();
  }
}
