import pluralize from "pluralize";
import { InvalidSchemaError } from "../errors.js";
import type { ForeignKeySpec, ReferentialAction } from "./commands.js";
import { assertIdentifier } from "./naming.js";

const ACTIONS: readonly ReferentialAction[] = ["cascade", "restrict", "set null", "set default", "no action"];

function parseAction(value: string, clause: string, columns: readonly string[]): ReferentialAction {
  const normalized = String(value).toLowerCase().replace(/[_\s]+/g, " ").trim();
  const match = ACTIONS.find((a) => a === normalized);
  if (!match) {
    throw new InvalidSchemaError(
      `${clause}("${value}") on foreign key (${columns.join(", ")}) is not one of: ${ACTIONS.join(", ")}`,
    );
  }
  return match;
}

/**
 * `table.foreign("user_id").references("id").on("users").onDelete("cascade")`.
 * The referenced table is required; the referenced columns default to `id`.
 */
export class ForeignKeyDefinition {
  #columns: readonly string[];
  #name: string | undefined;
  #referencedColumns: readonly string[] = ["id"];
  #referencedTable: string | undefined;
  #onDelete: ReferentialAction | undefined;
  #onUpdate: ReferentialAction | undefined;

  constructor(columns: readonly string[], name?: string) {
    columns.forEach((c) => assertIdentifier(c, "foreign key column"));
    if (name !== undefined) assertIdentifier(name, "foreign key name");
    this.#columns = columns;
    this.#name = name;
  }

  references(columns: string | readonly string[]): this {
    const list = typeof columns === "string" ? [columns] : [...columns];
    list.forEach((c) => assertIdentifier(c, "referenced column"));
    this.#referencedColumns = list;
    return this;
  }

  on(table: string): this {
    assertIdentifier(table, "referenced table");
    this.#referencedTable = table;
    return this;
  }

  /** Laravel's alias of `on()`. */
  inTable(table: string): this {
    return this.on(table);
  }

  onDelete(action: ReferentialAction | string): this {
    this.#onDelete = parseAction(action, "onDelete", this.#columns);
    return this;
  }

  onUpdate(action: ReferentialAction | string): this {
    this.#onUpdate = parseAction(action, "onUpdate", this.#columns);
    return this;
  }

  cascadeOnDelete(): this {
    return this.onDelete("cascade");
  }
  restrictOnDelete(): this {
    return this.onDelete("restrict");
  }
  nullOnDelete(): this {
    return this.onDelete("set null");
  }
  noActionOnDelete(): this {
    return this.onDelete("no action");
  }
  cascadeOnUpdate(): this {
    return this.onUpdate("cascade");
  }
  restrictOnUpdate(): this {
    return this.onUpdate("restrict");
  }
  nullOnUpdate(): this {
    return this.onUpdate("set null");
  }
  noActionOnUpdate(): this {
    return this.onUpdate("no action");
  }

  /** Give the constraint an explicit name instead of `{table}_{cols}_foreign`. */
  name(name: string): this {
    assertIdentifier(name, "foreign key name");
    this.#name = name;
    return this;
  }

  /** @internal */
  get columns(): readonly string[] {
    return this.#columns;
  }

  /** @internal */
  toSpec(table: string, defaultName: string): ForeignKeySpec {
    if (!this.#referencedTable) {
      throw new InvalidSchemaError(
        `foreign key ${table}(${this.#columns.join(", ")}) names no referenced table: add .on("table")`,
      );
    }
    if (this.#referencedColumns.length !== this.#columns.length) {
      throw new InvalidSchemaError(
        `foreign key ${table}(${this.#columns.join(", ")}) references ${this.#referencedColumns.length} column(s) of "${this.#referencedTable}" but has ${this.#columns.length}`,
      );
    }
    return {
      name: this.#name ?? defaultName,
      columns: this.#columns,
      referencedTable: this.#referencedTable,
      referencedColumns: this.#referencedColumns,
      onDelete: this.#onDelete,
      onUpdate: this.#onUpdate,
    };
  }
}

/**
 * `user_id` → `users`, `person_id` → `people`, `category_id` → `categories`: Laravel's
 * guess for `constrained()`, the column without its `_{key}` suffix in the plural. Only
 * the last word is made plural (`blog_post_id` → `blog_posts`).
 */
export function guessReferencedTable(column: string, key = "id"): string {
  const suffix = `_${key}`;
  const singular = column.endsWith(suffix) && column.length > suffix.length ? column.slice(0, -suffix.length) : column;
  return pluralize(singular);
}

/** `users` → `user`, `people` → `person`: the column prefix `foreignIdFor("users")` uses. */
export function singularTable(table: string): string {
  return pluralize.singular(table);
}
