import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { copyName, isStaleCopy, STALE_AFTER_MS, templateName } from "../../src/testing/copy-names.js";
import { migrationFingerprint } from "../../src/testing/migration-fingerprint.js";
import { tempDirMaker } from "../support/temp-dirs.js";

const tempDir = tempDirMaker("mortar-testing-names-");

describe("mortar/testing names", () => {
  test("copy names are unique, short enough for PostgreSQL and MySQL, and tell their age", () => {
    const now = Date.now();
    const names = Array.from({ length: 50 }, () => copyName("0123abcd", now));
    assert.equal(new Set(names).size, 50);
    for (const name of names) {
      assert.match(name, /^mortar_test_0123abcd_[0-9a-z]+_\d+_[0-9a-z]+$/);
      assert.ok(name.length + 1 <= 63, `${name} (and its trash name) fit PostgreSQL's 63 characters`);
    }
    assert.equal(isStaleCopy(names[0]!, now + STALE_AFTER_MS - 1000), false, "a copy younger than an hour is in use");
    assert.equal(isStaleCopy(names[0]!, now + STALE_AFTER_MS + 1000), true, "an older one is a crashed run's leftover");
    assert.equal(isStaleCopy("mortar_tpl_0123abcd_0123456789ab", now + 10 * STALE_AFTER_MS), false, "templates are never stale copies");
    assert.equal(isStaleCopy("mortar_test_someone_elses", now + 10 * STALE_AFTER_MS), false);
    assert.equal(templateName("0123abcd", "0123456789ab"), "mortar_tpl_0123abcd_0123456789ab");
  });

  test("the fingerprint follows the migration files (sub-folders too) and the tracking table, nothing else", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "old"));
    writeFileSync(join(dir, "2024_01_01_000000_a.ts"), "export default 1;\n");
    writeFileSync(join(dir, "old", "2023_01_01_000000_b.ts"), "export default 2;\n");
    const base = migrationFingerprint(dir, "migrations");
    assert.match(base, /^[0-9a-f]{12}$/);
    writeFileSync(join(dir, "notes.md"), "not a migration");
    writeFileSync(join(dir, "helper.ts"), "export const x = 1;");
    assert.equal(migrationFingerprint(dir, "migrations"), base, "other files do not count");
    assert.notEqual(migrationFingerprint(dir, "schema_migrations"), base, "another tracking table is another template");
    writeFileSync(join(dir, "old", "2023_01_01_000000_b.ts"), "export default 3;\n");
    const edited = migrationFingerprint(dir, "migrations");
    assert.notEqual(edited, base, "an edit in a sub-folder counts");
    writeFileSync(join(dir, "2024_02_01_000000_c.ts"), "export default 4;\n");
    assert.notEqual(migrationFingerprint(dir, "migrations"), edited, "an added file counts");
  });
});
