import type { ColumnModifiers, TypedColumn } from "./commands.js";
import { ColumnDefinition, type ColumnOwner } from "./column-definition.js";
import { ForeignKeyDefinition, guessReferencedTable } from "./foreign-key-definition.js";

/** What a foreign-id column needs of its blueprint: a place for the key it adds. */
export interface ForeignKeyOwner extends ColumnOwner {
  /** @internal */
  registerForeign(definition: ForeignKeyDefinition): void;
}

/** The table and key a `foreignIdFor()` column points at, used when `constrained()` names none. */
export interface ReferencedKey {
  readonly table: string;
  readonly column: string;
}

/**
 * `foreignId("user_id").constrained()` guesses `users.id`, as Laravel does;
 * `foreignIdFor("users").constrained()` knows its table and key already.
 */
export class ForeignIdColumnDefinition extends ColumnDefinition {
  readonly #owner: ForeignKeyOwner;
  readonly #referenced: ReferencedKey | undefined;

  constructor(
    owner: ForeignKeyOwner,
    name: string,
    typed: TypedColumn,
    attributes: Partial<ColumnModifiers> = {},
    referenced?: ReferencedKey,
  ) {
    super(owner, name, typed, attributes);
    this.#owner = owner;
    this.#referenced = referenced;
  }

  /**
   * Add the foreign key: `constrained()` → `users.id` (from `user_id`, English plurals:
   * `person_id` → `people`), `constrained("authors")`, `constrained("authors", "uuid")`
   * (the table guess then drops `_uuid`).
   */
  constrained(table?: string, column?: string): ForeignKeyDefinition {
    const key = column ?? this.#referenced?.column ?? "id";
    const target = table ?? this.#referenced?.table ?? guessReferencedTable(this.name, key);
    const definition = new ForeignKeyDefinition([this.name]).references(key).on(target);
    this.#owner.registerForeign(definition);
    return definition;
  }

  /** `foreignId("author_id").references("id").on("users")` without `constrained()`. */
  references(column: string): ForeignKeyDefinition {
    const definition = new ForeignKeyDefinition([this.name]).references(column);
    this.#owner.registerForeign(definition);
    return definition;
  }
}
