import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { reverseCommands, type Reversal } from "../../src/migration/reversible/reverse-commands.js";
import { Blueprint } from "../../src/schema/blueprint.js";
import type { SchemaCommand } from "../../src/schema/commands.js";

function commands(table: string, mode: "create" | "alter", build: (t: Blueprint) => void): SchemaCommand[] {
  const bp = new Blueprint(table, mode, { maxIdentifierLength: 63 });
  build(bp);
  return bp.toCommands();
}

function inverse(list: readonly SchemaCommand[]): readonly SchemaCommand[] {
  const reversal: Reversal = reverseCommands(list);
  if (!reversal.reversible) assert.fail(`expected reversible, got ${reversal.operation}`);
  return reversal.commands;
}

function refusal(list: readonly SchemaCommand[]): string {
  const reversal = reverseCommands(list);
  if (reversal.reversible) assert.fail("expected an irreversible operation");
  return reversal.operation;
}

describe("reverseCommands", () => {
  test("createTable → dropTable, whatever indexes and foreign keys it declares", () => {
    const create = commands("posts", "create", (t) => {
      t.increments("id");
      t.integer("user_id").unsigned();
      t.foreign("user_id").references("id").on("users");
      t.string("title").unique();
    });
    assert.deepEqual(inverse(create), [{ kind: "dropTable", table: "posts", ifExists: false }]);
  });

  test("an alter blueprint is undone last-first: indexes and keys go before their columns", () => {
    const alter = commands("users", "alter", (t) => {
      t.string("email").unique();
      t.foreignId("team_id").constrained();
      t.index(["email", "team_id"], "by_email_team");
    });
    assert.deepEqual(inverse(alter), [
      { kind: "dropIndex", table: "users", type: "index", name: "by_email_team" },
      { kind: "dropForeignKey", table: "users", name: "users_team_id_foreign" },
      { kind: "dropColumns", table: "users", columns: ["team_id"] },
      { kind: "dropIndex", table: "users", type: "unique", name: "users_email_unique" },
      { kind: "dropColumns", table: "users", columns: ["email"] },
    ]);
  });

  test("renames go back, and a rename then an add is undone in reverse order", () => {
    const list: SchemaCommand[] = [
      { kind: "renameTable", from: "people", to: "users" },
      { kind: "renameColumn", table: "users", from: "mail", to: "email" },
      { kind: "renameIndex", table: "users", from: "a_idx", to: "b_idx" },
      ...commands("users", "alter", (t) => t.string("nick").nullable()),
    ];
    assert.deepEqual(inverse(list), [
      { kind: "dropColumns", table: "users", columns: ["nick"] },
      { kind: "renameIndex", table: "users", from: "b_idx", to: "a_idx" },
      { kind: "renameColumn", table: "users", from: "email", to: "mail" },
      { kind: "renameTable", from: "users", to: "people" },
    ]);
  });

  test("primary, unique, plain and full-text indexes are dropped by their resolved names and types", () => {
    const alter = commands("docs", "alter", (t) => {
      t.primary(["a", "b"]);
      t.unique("slug");
      t.index("title");
      t.fulltext("body");
    });
    const dropped = inverse(alter).map((c) => (c.kind === "dropIndex" ? [c.type, c.name] : c.kind));
    assert.deepEqual(dropped, [
      ["fulltext", "docs_body_fulltext"],
      ["index", "docs_title_index"],
      ["unique", "docs_slug_unique"],
      ["primary", alter[0]!.kind === "addIndex" ? alter[0]!.index.name : "?"],
    ]);
  });

  test("an empty change() has an empty inverse", () => {
    assert.deepEqual(inverse([]), []);
  });

  test("operations that lose what they removed are irreversible, named with table and column", () => {
    assert.equal(refusal(commands("users", "alter", (t) => t.dropColumn("age"))), 'dropColumn "users.age"');
    assert.equal(refusal([{ kind: "dropTable", table: "users", ifExists: false }]), 'drop "users"');
    assert.equal(refusal([{ kind: "dropTable", table: "users", ifExists: true }]), 'dropIfExists "users"');
    assert.equal(refusal([{ kind: "truncateTable", table: "users", autoIncrement: true }]), 'truncate "users"');
    assert.equal(refusal(commands("users", "alter", (t) => t.string("name", 50).change())), 'change() of column "users.name"');
    assert.equal(refusal(commands("users", "alter", (t) => t.dropUnique("users_email_unique"))), 'dropUnique "users.users_email_unique"');
    assert.equal(refusal(commands("users", "alter", (t) => t.dropForeign("users_team_id_foreign"))), 'dropForeign "users.users_team_id_foreign"');
    assert.equal(refusal([{ kind: "createTable", table: "t", ifNotExists: true, columns: [], indexes: [], foreignKeys: [] }]), 'createIfNotExists "t"');
  });

  test("the first irreversible operation is named even after reversible ones", () => {
    const list = [...commands("users", "alter", (t) => t.string("nick")), ...commands("users", "alter", (t) => t.dropColumn("age", "born"))];
    assert.equal(refusal(list), 'dropColumn "users.age", dropColumn "users.born"');
  });

  test("a command kind without a known inverse is irreversible, not skipped", () => {
    const unknown = { kind: "addCheck", table: "users" } as unknown as SchemaCommand;
    assert.equal(refusal([unknown]), "addCheck (no known inverse)");
  });
});
