import { InvalidSchemaError } from "../errors.js";
import type { IndexType } from "./commands.js";
import { assertNoNulByte } from "./naming.js";

/**
 * An index a blueprint was asked for, still open to fluent options: what
 * `table.fullText("body")` returns, so `.language("german")` can follow (Laravel's
 * IndexDefinition). The blueprint reads it only when it turns into commands, so an
 * option set after the call still counts. Ignoring the return value is fine.
 */
export class IndexDefinition {
  readonly type: IndexType;
  readonly columns: readonly string[];
  readonly name: string | undefined;
  readonly #table: string;
  #language: string | undefined;

  constructor(type: IndexType, columns: readonly string[], name: string | undefined, table: string) {
    this.type = type;
    this.columns = columns;
    this.name = name;
    this.#table = table;
  }

  /**
   * The text-search configuration of a fulltext index (PostgreSQL's `to_tsvector`
   * language, e.g. `"german"` or `"simple"`). Written as an escaped literal, never as SQL.
   */
  language(name: string): this {
    if (this.type !== "fulltext") {
      throw new InvalidSchemaError(`language() applies to fulltext indexes only, not to the ${this.type} on "${this.#table}" (${this.columns.join(", ")})`);
    }
    if (typeof name !== "string" || name.trim().length === 0) {
      throw new InvalidSchemaError(`language() of the fulltext index on "${this.#table}" needs a non-empty name, got ${JSON.stringify(name)}`);
    }
    assertNoNulByte(name, `language of the fulltext index on "${this.#table}"`);
    this.#language = name;
    return this;
  }

  /** @internal The language set with `language()`, if any. */
  get languageName(): string | undefined {
    return this.#language;
  }
}
