import assert from "node:assert/strict";
import { test } from "node:test";
import { connect } from "../../src/dialect/connect.js";
import { DIALECTS } from "../support/databases.js";

// pg is loaded with a stand-in `navigator` (so that, on Node 20, it does not load
// Node's fetch implementation to find out it is not on Cloudflare Workers). The stand-in
// must be gone once pg has loaded, and pg must work.
test("loading the PostgreSQL driver leaves the global object as it was", { skip: !DIALECTS.includes("postgres") }, async () => {
  const before = Object.getOwnPropertyDescriptor(globalThis, "navigator");
  const db = await connect({ driver: "postgres", host: "127.0.0.1", port: 5432, username: "postgres", database: "test" });
  try {
    assert.deepEqual(await db.read("select 1 as one"), [{ one: 1 }]);
  } finally {
    await db.close();
  }
  assert.deepEqual(Object.getOwnPropertyDescriptor(globalThis, "navigator"), before);
});
