import { InvalidSchemaError } from "../errors.js";
import type { ColumnModifiers, ColumnSpec, DefaultValue, TypedColumn } from "./commands.js";
import { RawExpression, raw } from "./commands.js";
import { assertIdentifier, assertNoNulByte } from "./naming.js";

/** The type is fixed at construction; the modifiers change as the callback chains them. */
type MutableSpec = { -readonly [K in keyof ColumnModifiers]: ColumnModifiers[K] } & TypedColumn;

/** Hooks the blueprint gives a column so its fluent index modifiers land on the table. */
export interface ColumnOwner {
  /** @internal */
  addFluentIndex(type: "unique" | "index" | "primary", column: string, name?: string): void;
  /** Named in error messages when there is one. */
  readonly tableName?: string;
}

/**
 * The fluent handle returned by `table.string("email")` and friends. It only records
 * what was asked; the Blueprint turns it into a ColumnSpec once the callback ends.
 */
export class ColumnDefinition {
  readonly #spec: MutableSpec;
  #changed = false;
  /** Whether nullable() was called: a generated column is nullable unless it was (Laravel). */
  #nullableStated = false;
  readonly #owner: ColumnOwner;

  /** `typed`: the type with its parameters, e.g. `{ type: "string", length: 255 }`. */
  constructor(owner: ColumnOwner, name: string, typed: TypedColumn, attributes: Partial<ColumnModifiers> = {}) {
    assertIdentifier(name, "column name");
    this.#owner = owner;
    // The type's parameters last, where the flat spec had them: specs keep one key order.
    const modifiers = {
      name,
      type: typed.type,
      unsigned: false,
      nullable: false,
      autoIncrement: false,
      primary: false,
      useCurrent: false,
      useCurrentOnUpdate: false,
      first: false,
      ...attributes,
    };
    this.#spec = Object.assign(modifiers, typed);
  }

  /** Allow NULL (the default for every column is NOT NULL, as in Laravel). */
  nullable(value = true): this {
    this.#spec.nullable = value;
    this.#nullableStated = true;
    return this;
  }

  /** Unsigned integer or decimal (MySQL only; see the README for other dialects). */
  unsigned(): this {
    this.#spec.unsigned = true;
    return this;
  }

  /** A literal default, escaped by the grammar, or `raw("expr")` for an expression. */
  default(value: DefaultValue): this {
    const ok =
      value === null ||
      value instanceof RawExpression ||
      ["string", "number", "bigint", "boolean"].includes(typeof value);
    if (!ok) {
      throw new InvalidSchemaError(
        `default for column "${this.#spec.name}" must be a string, number, boolean, null or raw(), got ${typeof value}`,
      );
    }
    if (typeof value === "number" && !Number.isFinite(value)) {
      throw new InvalidSchemaError(`default for column "${this.#spec.name}" must be a finite number, got ${value}`);
    }
    if (typeof value === "string") assertNoNulByte(value, `default of ${this.#described()}`);
    if (value instanceof RawExpression) assertNoNulByte(value.sql, `raw() default of ${this.#described()}`);
    this.#spec.default = value;
    return this;
  }

  /** `default CURRENT_TIMESTAMP`. */
  useCurrent(): this {
    this.#spec.useCurrent = true;
    return this;
  }

  /** `on update CURRENT_TIMESTAMP` (MySQL; refused elsewhere). */
  useCurrentOnUpdate(): this {
    this.#spec.useCurrentOnUpdate = true;
    return this;
  }

  comment(text: string): this {
    if (typeof text !== "string") throw new InvalidSchemaError(`comment for column "${this.#spec.name}" must be a string`);
    assertNoNulByte(text, `comment of ${this.#described()}`);
    this.#spec.comment = text;
    return this;
  }

  /** Place the new column after another one (MySQL). */
  after(column: string): this {
    assertIdentifier(column, "after() column");
    this.#spec.after = column;
    return this;
  }

  /** Place the new column first (MySQL). */
  first(): this {
    this.#spec.first = true;
    return this;
  }

  /**
   * A generated column whose value the database computes and stores:
   * `storedAs("price * qty")`. The expression is raw SQL, as in Laravel (a string or
   * `raw()`); column names in it are the migration's to quote.
   */
  storedAs(expression: string | RawExpression): this {
    return this.#generated("stored", expression);
  }

  /** A generated column computed when read (refused by PostgreSQL before 18). */
  virtualAs(expression: string | RawExpression): this {
    return this.#generated("virtual", expression);
  }

  /** MySQL's `character set` of a text column (refused by PostgreSQL and SQLite, which have none per column). */
  charset(name: string): this {
    this.#spec.charset = this.#name(name, "charset");
    return this;
  }

  /** The column's collation: `utf8mb4_bin` (MySQL), `C` (PostgreSQL), `NOCASE` (SQLite). */
  collation(name: string): this {
    this.#spec.collation = this.#name(name, "collation");
    return this;
  }

  /** A CHECK constraint on the column, raw SQL as written: `check("qty >= 0")`. Repeat for several. */
  check(expression: string | RawExpression): this {
    this.#spec.checks = [...(this.#spec.checks ?? []), this.#expression(expression, "check")];
    return this;
  }

  unique(name?: string): this {
    this.#owner.addFluentIndex("unique", this.#spec.name, name);
    return this;
  }

  index(name?: string): this {
    this.#owner.addFluentIndex("index", this.#spec.name, name);
    return this;
  }

  primary(): this {
    this.#owner.addFluentIndex("primary", this.#spec.name);
    return this;
  }

  /** Restate an existing column: every attribute not restated is dropped (Laravel 11). */
  change(): this {
    this.#changed = true;
    return this;
  }

  get name(): string {
    return this.#spec.name;
  }

  #generated(kind: "stored" | "virtual", expression: string | RawExpression): this {
    const method = kind === "stored" ? "storedAs" : "virtualAs";
    if (this.#spec.generated !== undefined && this.#spec.generated.kind !== kind) {
      throw new InvalidSchemaError(`${this.#described()} cannot be both storedAs() and virtualAs()`);
    }
    this.#spec.generated = { kind, expression: this.#expression(expression, method) };
    return this;
  }

  /** A raw expression from a string or raw(): never empty, never a NUL byte. */
  #expression(expression: string | RawExpression, method: string): RawExpression {
    const sql = expression instanceof RawExpression ? expression.sql : expression;
    if (typeof sql !== "string" || sql.trim() === "") {
      throw new InvalidSchemaError(`${method}() on ${this.#described()} needs an SQL expression (a non-empty string or raw())`);
    }
    assertNoNulByte(sql, `${method}() of ${this.#described()}`);
    return expression instanceof RawExpression ? expression : raw(sql);
  }

  #name(name: string, method: string): string {
    if (typeof name !== "string" || name.trim() === "") {
      throw new InvalidSchemaError(`${method}() on ${this.#described()} needs a name`);
    }
    assertNoNulByte(name, `${method}() of ${this.#described()}`);
    return name;
  }

  /** `column "email" of table "users"`, for messages. */
  #described(): string {
    const table = this.#owner.tableName;
    return `column "${this.#spec.name}"${table === undefined ? "" : ` of table "${table}"`}`;
  }

  /** @internal */
  get isChange(): boolean {
    return this.#changed;
  }

  /** @internal */
  toSpec(): ColumnSpec {
    const spec = this.#spec;
    if (spec.generated !== undefined) this.#assertGeneratable();
    // Laravel leaves a generated column nullable unless nullable(false) says otherwise.
    const nullable = spec.generated !== undefined && !this.#nullableStated ? true : spec.nullable;
    // A copy of the enum's values, so a spec cannot change with the caller's array.
    return spec.type === "enum" ? { ...spec, nullable, values: [...spec.values] } : { ...spec, nullable };
  }

  /** The database computes a generated column: a default or an auto-increment would contradict it. */
  #assertGeneratable(): void {
    const spec = this.#spec;
    const method = spec.generated!.kind === "stored" ? "storedAs()" : "virtualAs()";
    if (spec.default !== undefined || spec.useCurrent || spec.useCurrentOnUpdate) {
      throw new InvalidSchemaError(`${this.#described()} is ${method} and cannot also have a default`);
    }
    if (spec.autoIncrement) throw new InvalidSchemaError(`${this.#described()} is ${method} and cannot auto-increment`);
  }
}
