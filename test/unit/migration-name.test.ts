import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { guessTable, studly, toSnakeCase } from "../../src/migration/migration-name.js";

describe("guessTable (Laravel's TableGuesser)", () => {
  const cases: [string, { table: string; create: boolean } | undefined][] = [
    ["create_flights_table", { table: "flights", create: true }],
    ["create_flights", { table: "flights", create: true }],
    ["create_flight_crews_table", { table: "flight_crews", create: true }],
    ["add_votes_to_users_table", { table: "users", create: false }],
    ["add_votes_to_users", { table: "users", create: false }],
    ["remove_votes_from_users_table", { table: "users", create: false }],
    ["remove_votes_from_users", { table: "users", create: false }],
    ["change_index_in_users", { table: "users", create: false }],
    ["add_status_to_flights", { table: "flights", create: false }],
    // The table follows the LAST preposition.
    ["move_to_archive_from_users", { table: "users", create: false }],
    ["backfill_scores", undefined],
    ["create", undefined],
    ["to_users", undefined],
  ];
  for (const [name, expected] of cases) {
    test(`${name} → ${expected ? `${expected.create ? "create" : "alter"} ${expected.table}` : "no guess"}`, () => {
      assert.deepEqual(guessTable(name), expected);
    });
  }
});

describe("toSnakeCase / studly", () => {
  test("CamelCase and camelCase become snake_case", () => {
    assert.equal(toSnakeCase("AddStatusToFlights"), "add_status_to_flights");
    assert.equal(toSnakeCase("addVotes2ToUsersTable"), "add_votes2_to_users_table");
    assert.equal(toSnakeCase("  add status-to flights "), "add_status_to_flights");
    assert.equal(toSnakeCase("create_flights_table"), "create_flights_table");
  });

  test("StudlyCase class names; a leading digit gets a prefix", () => {
    assert.equal(studly("add_status_to_flights"), "AddStatusToFlights");
    assert.equal(studly("2fa_setup"), "Migration2faSetup");
  });
});
