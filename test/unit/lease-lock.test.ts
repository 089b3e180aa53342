import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { loadConfig } from "../../src/config/load-config.js";
import { dialectFor } from "../../src/dialect/connect.js";
import { leaseName, leaseTiming } from "../../src/dialect/lease/lease-lock.js";
import { leaseSql } from "../../src/dialect/lease/lease-sql.js";
import { acquireMigrationLock, lockTableOf } from "../../src/dialect/lease/lock-selection.js";
import { connect } from "../../src/dialect/connect.js";
import { ConfigError } from "../../src/errors.js";
import { tempDirMaker } from "../support/temp-dirs.js";

const tempDir = tempDirMaker("mortar-lease-");

describe("lease lock SQL", () => {
  test("PostgreSQL: the insert tries the session lock's advisory key for the length of the statement", () => {
    const sql = leaseSql("postgres", dialectFor("postgres").grammar, "migrations_lock");
    assert.equal(
      sql.insertIfAbsent,
      'insert into "migrations_lock" ("name", "owner", "holder", "heartbeat_at", "expires_at") ' +
        "select $1, $2, $3, (extract(epoch from clock_timestamp()) * 1000)::bigint, (extract(epoch from clock_timestamp()) * 1000)::bigint + $4::bigint " +
        'where pg_try_advisory_xact_lock($5::bigint) on conflict ("name") do nothing',
    );
    assert.equal(sql.renew, 'update "migrations_lock" set "heartbeat_at" = (extract(epoch from clock_timestamp()) * 1000)::bigint, "expires_at" = (extract(epoch from clock_timestamp()) * 1000)::bigint + $1 where "name" = $2 and "owner" = $3');
    assert.equal(sql.release, 'delete from "migrations_lock" where "name" = $1 and "owner" = $2');
  });

  test("MySQL: insert ignore, the server's clock, quoted identifiers", () => {
    const sql = leaseSql("mysql", dialectFor("mysql").grammar, "my`locks");
    assert.match(sql.insertIfAbsent, /^insert ignore into `my``locks` \(`name`, `owner`, `holder`, `heartbeat_at`, `expires_at`\) values \(\?, \?, \?, cast\(unix_timestamp\(now\(6\)\) \* 1000 as signed\)/);
    assert.equal(sql.deleteExpired, "delete from `my``locks` where `name` = ? and `expires_at` < cast(unix_timestamp(now(6)) * 1000 as signed)");
    assert.match(sql.createTable, /`name` varchar\(191\) not null primary key/);
  });

  test("SQLite: insert or ignore", () => {
    const sql = leaseSql("sqlite", dialectFor("sqlite").grammar, "migrations_lock");
    assert.match(sql.insertIfAbsent, /^insert or ignore into "migrations_lock"/);
    assert.match(sql.createTable, /"name" text not null primary key/);
  });

  test("timing, names and the lock table", () => {
    assert.deepEqual(leaseTiming(), { leaseMs: 30_000, renewEveryMs: 10_000 });
    assert.deepEqual(leaseTiming(600), { leaseMs: 600, renewEveryMs: 200 });
    assert.equal(leaseName("mortar:app:migrations"), "mortar:app:migrations");
    assert.equal(leaseName(`mortar:${"d".repeat(300)}:migrations`).length, 7 + 64);
    assert.equal(lockTableOf("schema_log"), "schema_log_lock");
  });
});

describe("lease lock settings", () => {
  test("DB_LOCK and DB_LOCK_LEASE reach the connection, SQLite included", async () => {
    const config = await loadConfig({ cwd: tempDir(), env: { DB_LOCK: "TABLE", DB_LOCK_LEASE: "2.5" } });
    assert.equal(config.connection.driver, "sqlite");
    assert.equal(config.connection.lock, "table");
    assert.equal(config.connection.lockLease, 2.5);
  });

  test("a bad DB_LOCK or DB_LOCK_LEASE is a configuration error naming it", async () => {
    await assert.rejects(loadConfig({ cwd: tempDir(), env: { DB_LOCK: "row" } }), (e: unknown) => e instanceof ConfigError && /DB_LOCK must be auto, table or session, got "row"/.test(e.message));
    await assert.rejects(loadConfig({ cwd: tempDir(), env: { DB_LOCK_LEASE: "0" } }), (e: unknown) => e instanceof ConfigError && /DB_LOCK_LEASE/.test(e.message));
  });

  test("a bad lock setting in a library config is refused before anything is locked", async () => {
    const db = await connect({ driver: "sqlite", database: `${tempDir()}/x.sqlite`, lock: "rows" as never });
    try {
      await assert.rejects(acquireMigrationLock(db, "n", "migrations", 100), (e: unknown) => e instanceof ConfigError && /lock must be one of auto, table, session/.test(e.message));
    } finally {
      await db.close();
    }
  });
});
