import assert from "node:assert/strict";
import { test } from "node:test";
import { validateTenantList } from "../../src/config/tenants-setting.js";
import { ConfigError } from "../../src/errors.js";
import { runPool } from "../../src/tenants/pool.js";

const refuses = (value: unknown, message: RegExp) =>
  assert.throws(() => validateTenantList(value), (e: unknown) => e instanceof ConfigError && message.test(e.message));

test("config tenants: every form is accepted as written", () => {
  for (const value of [
    [{ id: "acme", url: "postgres://u@h/acme" }, { id: "b", driver: "sqlite", database: "t/b.sqlite" }, "mysql://root@h/c"],
    { glob: "databases/tenants/*.sqlite" },
    { schemas: ["acme", "b"] },
    { schemas: "tenant_%" },
    { databases: "tenant_%" },
    [],
  ]) {
    assert.equal(validateTenantList(value), value);
  }
});

test("config tenants: a bad setting names its key", () => {
  refuses({ glob: 5 }, /^tenants\.glob must be a file pattern/);
  refuses({ schemas: [] }, /^tenants\.schemas is an empty list/);
  refuses({ schemas: ["a", ""] }, /^tenants\.schemas\[1\] must be a schema name, got ""/);
  refuses({ databases: ["a"] }, /^tenants\.databases must be a LIKE pattern/);
  refuses({ glob: "*.sqlite", schemas: "x" }, /^tenants must be .* got an object with "glob", "schemas"/);
  refuses({ files: "x" }, /^tenants must be .* got an object with "files"/);
  refuses("tenant_%", /^tenants must be .* got "tenant_%"/);
  refuses([{ id: "a" }, { url: "sqlite:b.sqlite" }], /^tenants\[1\]\.id must be a non-empty string, got nothing/);
  refuses(["acme"], /^tenants\[0\] must be a connection URL or \{ id, … \}, got "acme"/);
  refuses([42], /^tenants\[0\] must be a connection URL/);
});

test("runPool: never more than N at once, every item once, and stop() leaves the rest out", async () => {
  let running = 0;
  let peak = 0;
  const seen: number[] = [];
  const results = await runPool(Array.from({ length: 20 }, (_, i) => i), 3, async (n) => {
    running++;
    peak = Math.max(peak, running);
    await new Promise((resolve) => setTimeout(resolve, 2));
    running--;
    seen.push(n);
    return n * 2;
  });
  assert.equal(peak, 3);
  assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i));
  assert.deepEqual(results, Array.from({ length: 20 }, (_, i) => i * 2));

  let stop = false;
  const partial = await runPool([1, 2, 3, 4, 5], 1, async (n) => {
    if (n === 2) stop = true;
    return n;
  }, () => stop);
  assert.deepEqual(partial, [1, 2, undefined, undefined, undefined]);
});
