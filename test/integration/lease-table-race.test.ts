import assert from "node:assert/strict";
import { test } from "node:test";
import type { Dialect } from "../../src/dialect/dialect.js";
import { acquireLeaseLock, leaseTiming } from "../../src/dialect/lease/lease-lock.js";
import { mysqlDialect } from "../../src/dialect/mysql/mysql-dialect.js";
import { postgresDialect } from "../../src/dialect/postgres/postgres-dialect.js";
import { lockKey } from "../../src/dialect/postgres/postgres-lock.js";
import { createTestDatabase } from "../support/databases.js";

// The first runs on a database create the lease table at the same moment. PostgreSQL's
// `create table if not exists` is not atomic between sessions: the loser may get a unique
// violation on pg_type, "relation already exists" or "type … already exists" (the last one
// failed a CI run of six concurrent runs through PgBouncer). Every run must still get the lease.

const ROUNDS = 4;
const RUNS = 8;

for (const [name, dialect] of [["postgres", postgresDialect], ["mysql", mysqlDialect]] as const) {
  test(`${name}: ${RUNS} runs creating the lease table at once all take the lease in turn (${ROUNDS} fresh databases)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const database = await createTestDatabase(name);
      try {
        const taken: number[] = [];
        await Promise.all(
          Array.from({ length: RUNS }, async (_, i) => {
            const release = await acquireLeaseLock({
                dialect: dialect as Dialect,
                config: database.config,
                table: "migrations_lock",
                name: "race",
                // PostgreSQL's insert also asks that the session lock of the same name be free.
                ...(name === "postgres" ? { insertGuardParameters: [lockKey("race")] } : {}),
              }, 20_000, leaseTiming(5_000));
            assert.ok(release, `run ${i} timed out waiting for the lease`);
            taken.push(i);
            await release();
          }),
        );
        assert.equal(taken.length, RUNS);
      } finally {
        await database.drop();
      }
    }
  });
}
