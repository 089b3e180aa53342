/**
 * `mortar/testing`: a fresh, fully migrated database for every test (spec §10).
 * Imports only Mortar's public API, which the bundle resolves to the one copy of Mortar
 * that "mortar" loads (scripts/bundle.mjs), so errors and classes are the same objects.
 */
export { createTestDatabase, closeTestDatabases, type TestDatabaseOptions } from "./create-test-database.js";
export type { TestDatabase } from "./template-manager.js";
