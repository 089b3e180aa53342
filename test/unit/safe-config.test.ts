import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { resolveSafeExecution } from "../../src/config/safe-config.js";

/** Safe execution's settings: flags, then the environment (and .env), then the config file (spec §5). */
describe("safe execution configuration", () => {
  test("off unless a flag, the environment or the config file turns it on", () => {
    assert.equal(resolveSafeExecution({}, {}, {}, undefined), undefined);
    assert.deepEqual(resolveSafeExecution({ safe: true }, {}, {}, undefined), {});
    assert.deepEqual(resolveSafeExecution({}, { MORTAR_SAFE: "true" }, {}, undefined), {});
    assert.deepEqual(resolveSafeExecution({}, {}, { safe: true }, "mortar.config.ts"), {});
    assert.equal(resolveSafeExecution({}, { MORTAR_SAFE: "false" }, { safe: true }, "mortar.config.ts"), undefined, "the environment wins over the file");
    assert.deepEqual(resolveSafeExecution({ safe: true }, { MORTAR_SAFE: "0" }, {}, undefined), {}, "the flag wins over the environment");
  });

  test("ddlLockTimeout and retries: flag over environment over config file", () => {
    const config = { safe: true, ddlLockTimeout: 9, retries: 2 };
    assert.deepEqual(resolveSafeExecution({}, {}, config, "mortar.config.ts"), { ddlLockTimeout: 9, retries: 2 });
    assert.deepEqual(resolveSafeExecution({}, { MORTAR_DDL_LOCK_TIMEOUT: "3", MORTAR_RETRIES: "0" }, config, "mortar.config.ts"), { ddlLockTimeout: 3, retries: 0 });
    assert.deepEqual(resolveSafeExecution({ ddlLockTimeout: 1.5 }, { MORTAR_DDL_LOCK_TIMEOUT: "3" }, config, "mortar.config.ts"), { ddlLockTimeout: 1.5, retries: 2 });
  });

  test("bad values name where they came from", () => {
    assert.throws(() => resolveSafeExecution({}, {}, { safe: true, ddlLockTimeout: -1 }, "mortar.config.ts"), /mortar\.config\.ts: ddlLockTimeout must be a positive number of seconds, got -1/);
    assert.throws(() => resolveSafeExecution({}, {}, { safe: true, retries: 2.5 }, "mortar.config.ts"), /mortar\.config\.ts: retries must be a whole number/);
    assert.throws(() => resolveSafeExecution({}, { MORTAR_RETRIES: "many" }, { safe: true }, undefined), /MORTAR_RETRIES must be a whole number \(0 or more\), got "many"/);
    assert.throws(() => resolveSafeExecution({}, { MORTAR_SAFE: "maybe" }, {}, undefined), /MORTAR_SAFE must be true or false/);
    assert.throws(() => resolveSafeExecution({ ddlLockTimeout: 2 }, {}, {}, undefined), /--ddl-lock-timeout applies to safe execution/);
  });
});
