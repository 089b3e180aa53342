import assert from "node:assert/strict";
import type { DialectName } from "../../src/dialect/dialect.js";
import { UnsupportedOperationError } from "../../src/errors.js";
import type { Grammar } from "../../src/grammar/grammar.js";
import { Blueprint } from "../../src/schema/blueprint.js";
import type { SchemaCommand } from "../../src/schema/commands.js";

/** Shared by the grammar unit tests: build a blueprint the way the schema builder does and compile it. */

/** A blueprint for `table` with the grammar's identifier limit, filled by `build`. */
export function blueprintFor(grammar: Grammar, table: string, mode: "create" | "alter", build: (t: Blueprint) => void): Blueprint {
  const bp = new Blueprint(table, mode, { maxIdentifierLength: grammar.maxIdentifierLength });
  build(bp);
  return bp;
}

export interface GrammarHelpers {
  /** A blueprint for `table` with this grammar's identifier limit, filled by `build`. */
  blueprint(table: string, mode: "create" | "alter", build: (t: Blueprint) => void): Blueprint;
  /** SQL of `schema.create(table, build)`. */
  create(build: (t: Blueprint) => void, table?: string): string[];
  /** SQL of `schema.table(table, build)`. */
  alter(build: (t: Blueprint) => void, table?: string): string[];
  /** SQL of one command compiled alone. */
  compileSql(command: SchemaCommand): string[];
  /** Asserts `fn` throws the grammar's UnsupportedOperationError with exactly `message`. */
  assertRefused(fn: () => unknown, message: string): void;
}

/** The compile-and-read-SQL helpers of one grammar; `users` is the default table. */
export function grammarHelpers(grammar: Grammar): GrammarHelpers {
  const compileBlueprint = (mode: "create" | "alter", build: (t: Blueprint) => void, table: string) =>
    grammar.compile(blueprintFor(grammar, table, mode, build).toCommands()).map((q) => q.sql);
  return {
    blueprint: (table, mode, build) => blueprintFor(grammar, table, mode, build),
    create: (build, table = "users") => compileBlueprint("create", build, table),
    alter: (build, table = "users") => compileBlueprint("alter", build, table),
    compileSql: (command) => grammar.compile([command]).map((q) => q.sql),
    assertRefused: (fn, message) => assertUnsupported(grammar.dialect, fn, message),
  };
}

function assertUnsupported(dialect: DialectName, fn: () => unknown, message: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof UnsupportedOperationError, `expected UnsupportedOperationError, got ${String(error)}`);
    assert.equal(error.code, "UNSUPPORTED_OPERATION");
    assert.equal(error.dialect, dialect);
    assert.equal(error.message, message);
    return true;
  });
}
