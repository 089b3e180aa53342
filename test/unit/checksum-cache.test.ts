import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { currentChecksums } from "../../src/migration/checksum-cache.js";
import { checksumOfSource } from "../../src/migration/loader.js";

/**
 * The checksum cache (per file: time and size) and its clean-state shortcut (the whole
 * folder against the recorded checksums) must never hand back a stale checksum when a
 * file or a record changed.
 */
test("checksums follow file edits and record changes through both caches", () => {
  const project = mkdtempSync(join(tmpdir(), "mortar-checksums-"));
  try {
    mkdirSync(join(project, "node_modules"));
    const folder = join(project, "migrations");
    mkdirSync(folder);
    const sources = { a: "export default 1;\n", b: "export default 2;\n" };
    const files = Object.entries(sources).map(([name, source]) => {
      const path = join(folder, `${name}.ts`);
      writeFileSync(path, source);
      return { name, path };
    });
    const truth = (name: "a" | "b") => checksumOfSource(sources[name]);
    const recorded = new Map<string, string | null>([["a", truth("a")], ["b", truth("b")]]);

    assert.deepEqual(currentChecksums(folder, files, recorded), new Map([["a", truth("a")], ["b", truth("b")]]));
    const cacheFiles = readdirSync(join(project, "node_modules/.cache/mortar"));
    assert.ok(cacheFiles.some((f) => f.endsWith(".clean")), `a clean state is kept: ${cacheFiles.join(", ")}`);
    // Second run: served from the clean state, same answer.
    assert.deepEqual(currentChecksums(folder, files, recorded), new Map([["a", truth("a")], ["b", truth("b")]]));

    // A record that differs (another checkout ran another version) is not taken for the file's checksum.
    const otherRecord = new Map(recorded).set("a", "0".repeat(64));
    assert.equal(currentChecksums(folder, files, otherRecord).get("a"), truth("a"));

    // An edit (a different size) is seen, with and without records.
    sources.a = "export default 100;\n";
    writeFileSync(files[0]!.path, sources.a);
    assert.equal(currentChecksums(folder, files, recorded).get("a"), truth("a"));
    assert.notEqual(truth("a"), recorded.get("a"));
    assert.equal(currentChecksums(folder, files).get("a"), truth("a"));
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
});
