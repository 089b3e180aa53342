import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { main } from "../../src/cli/main.js";

// Each command's action returns its exit code and main() returns it: nothing goes
// through the process-wide process.exitCode, so one call cannot leak into the next.

const dir = mkdtempSync(join(tmpdir(), "mortar-exit-code-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("main() returns each command's exit code and leaves process.exitCode alone", async () => {
  const saved = { ...process.env };
  process.env.DB_CONNECTION = "sqlite";
  process.env.DB_DATABASE = join(dir, "app.sqlite");
  try {
    assert.equal(process.exitCode, undefined);
    const missing = await main(["node", "mortar", "migrate:status", "--json", "--path", join(dir, "no-such-folder")]);
    assert.equal(missing, 2, "a missing migrations folder is a configuration error");
    assert.equal(process.exitCode, undefined);
    const fine = await main(["node", "mortar", "migrate:status", "--json", "--path", dir]);
    assert.equal(fine, 0, "the next command's exit code is its own");
    assert.equal(process.exitCode, undefined);
  } finally {
    process.env = saved;
  }
});
