import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { CanonicalCache } from "../../src/migration/canonical-cache.js";
import { checksumOfSource, checksumOfSourceAsync, legacyChecksum } from "../../src/migration/checksum.js";

const SOURCE = `import { Migration } from "mortar";
export default class extends Migration {
  async up(): Promise<void> { await this.schema.create("t", (t) => { t.id(); }); }
}
`;

/** A `known` map that records what it was asked. */
function recordingMap(entries: Record<string, string> = {}) {
  const asked: string[] = [];
  const stored: [string, string][] = [];
  return {
    asked,
    stored,
    get: (bytes: string) => (asked.push(bytes), entries[bytes]),
    set: (bytes: string, code: string) => void stored.push([bytes, code]),
  };
}

describe("canonical checksums remembered by the bytes they came from", () => {
  test("a miss computes the checksum a fresh run would and stores its code part under the bytes' hash", async () => {
    const known = recordingMap();
    const checksum = await checksumOfSourceAsync(SOURCE, "m.ts", known);
    assert.equal(checksum, checksumOfSource(SOURCE, "m.ts"));
    assert.deepEqual(known.asked, [legacyChecksum(SOURCE)]);
    assert.equal(known.stored.length, 1);
    assert.equal(known.stored[0]![0], legacyChecksum(SOURCE));
    assert.ok(checksum.startsWith(`v2:${known.stored[0]![1]}.`), "the stored part is the checksum's code part");
  });

  test("a hit answers from the map (no transform) and still takes the bytes part from the file", async () => {
    const bytes = legacyChecksum(SOURCE);
    const known = recordingMap({ [bytes]: "C".repeat(22) });
    const checksum = await checksumOfSourceAsync(SOURCE, "m.ts", known);
    assert.equal(checksum.slice(0, 25), `v2:${"C".repeat(22)}`);
    assert.equal(checksum.slice(26), checksumOfSource(SOURCE, "m.ts").slice(26), "bytes part computed from the file");
    assert.equal(known.stored.length, 0);
  });

  test("an edited file is never answered with the entry of its earlier bytes", async () => {
    const known = recordingMap({ [legacyChecksum(SOURCE)]: "C".repeat(22) });
    const edited = SOURCE.replace('"t"', '"u"');
    const checksum = await checksumOfSourceAsync(edited, "m.ts", known);
    assert.equal(checksum, checksumOfSource(edited, "m.ts"));
    assert.notEqual(checksum.slice(0, 25), `v2:${"C".repeat(22)}`);
  });

  test("the cache file survives a save and is read back by the next run", () => {
    const dir = mkdtempSync(join(tmpdir(), "mortar-canonical-"));
    try {
      const project = join(dir, "app");
      mkdirSync(join(project, "node_modules"), { recursive: true });
      mkdirSync(join(project, "databases", "migrations"), { recursive: true });
      const first = CanonicalCache.near(join(project, "databases", "migrations"));
      first.set("ab".repeat(32), "x".repeat(22));
      first.save();
      assert.equal(CanonicalCache.near(join(project, "databases", "migrations")).get("ab".repeat(32)), "x".repeat(22));
      assert.equal(CanonicalCache.near(join(project, "databases", "migrations")).get("cd".repeat(32)), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
