import { InvalidSchemaError } from "../errors.js";
import type { ColumnModifiers, IntegerType, TypedColumn } from "./commands.js";
import { ColumnDefinition } from "./column-definition.js";
import { ForeignIdColumnDefinition, type ForeignKeyOwner } from "./foreign-id-column-definition.js";
import { singularTable } from "./foreign-key-definition.js";
import type { ForeignKeyDefinition } from "./foreign-key-definition.js";
import { assertIdentifier, assertNoNulByte } from "./naming.js";

/** The key type of the table a `foreignIdFor()` column points at (Laravel's model key types). */
export type ForeignKeyType = "int" | "uuid" | "ulid";

/**
 * What `foreignIdFor()` points at: a table name (`"users"`: key `id`, an unsigned big
 * integer) or the table with its key's name and type.
 */
export type ForeignIdTarget =
  | string
  | { readonly table: string; readonly primaryKey?: string; readonly keyType?: ForeignKeyType };

const KEY_TYPES: readonly ForeignKeyType[] = ["int", "uuid", "ulid"];

/** Laravel's ULIDs are 26 characters of Crockford base 32. */
const ULID_LENGTH = 26;

/**
 * The column-type half of a Blueprint: one method per Laravel column call, each
 * validating its arguments and fixing its defaults (they live here and only here). The
 * Blueprint supplies where a column goes and the table-level index it may need.
 */
export abstract class BlueprintColumns implements ForeignKeyOwner {
  abstract get tableName(): string;
  /** @internal */
  abstract addFluentIndex(type: "unique" | "index" | "primary", column: string, name?: string): void;
  /** @internal */
  abstract registerForeign(definition: ForeignKeyDefinition): void;
  abstract index(columns: string | readonly string[], name?: string): this;
  /** Record a column in the order the callback declared it. */
  protected abstract pushColumn<T extends ColumnDefinition>(column: T): T;

  // ── integers ──────────────────────────────────────────────────────────────

  /** Auto-incrementing unsigned integer primary key. */
  increments(name: string): ColumnDefinition {
    return this.#add(name, { type: "integer" }, { autoIncrement: true, primary: true, unsigned: true });
  }
  bigIncrements(name: string): ColumnDefinition {
    return this.#add(name, { type: "bigInteger" }, { autoIncrement: true, primary: true, unsigned: true });
  }
  smallIncrements(name: string): ColumnDefinition {
    return this.#add(name, { type: "smallInteger" }, { autoIncrement: true, primary: true, unsigned: true });
  }
  tinyIncrements(name: string): ColumnDefinition {
    return this.#add(name, { type: "tinyInteger" }, { autoIncrement: true, primary: true, unsigned: true });
  }
  /** Laravel's `id()`: a big auto-incrementing primary key named `id`. */
  id(name = "id"): ColumnDefinition {
    return this.bigIncrements(name);
  }
  /**
   * Laravel's positional arguments: `integer("id", true)` is an auto-increment primary
   * key, `integer("n", false, true)` unsigned. The same holds for every integer size.
   */
  integer(name: string, autoIncrement = false, unsigned = false): ColumnDefinition {
    return this.#integer(name, "integer", "integer", autoIncrement, unsigned);
  }
  bigInteger(name: string, autoIncrement = false, unsigned = false): ColumnDefinition {
    return this.#integer(name, "bigInteger", "bigInteger", autoIncrement, unsigned);
  }
  smallInteger(name: string, autoIncrement = false, unsigned = false): ColumnDefinition {
    return this.#integer(name, "smallInteger", "smallInteger", autoIncrement, unsigned);
  }
  tinyInteger(name: string, autoIncrement = false, unsigned = false): ColumnDefinition {
    return this.#integer(name, "tinyInteger", "tinyInteger", autoIncrement, unsigned);
  }
  mediumInteger(name: string, autoIncrement = false, unsigned = false): ColumnDefinition {
    return this.#integer(name, "mediumInteger", "mediumInteger", autoIncrement, unsigned);
  }
  unsignedInteger(name: string, autoIncrement = false): ColumnDefinition {
    return this.#integer(name, "integer", "unsignedInteger", autoIncrement, true);
  }
  unsignedBigInteger(name: string, autoIncrement = false): ColumnDefinition {
    return this.#integer(name, "bigInteger", "unsignedBigInteger", autoIncrement, true);
  }
  unsignedSmallInteger(name: string, autoIncrement = false): ColumnDefinition {
    return this.#integer(name, "smallInteger", "unsignedSmallInteger", autoIncrement, true);
  }
  unsignedTinyInteger(name: string, autoIncrement = false): ColumnDefinition {
    return this.#integer(name, "tinyInteger", "unsignedTinyInteger", autoIncrement, true);
  }
  unsignedMediumInteger(name: string, autoIncrement = false): ColumnDefinition {
    return this.#integer(name, "mediumInteger", "unsignedMediumInteger", autoIncrement, true);
  }

  // ── other numbers ─────────────────────────────────────────────────────────

  decimal(name: string, precision = 8, scale = 2): ColumnDefinition {
    assertPrecision(name, precision, scale);
    return this.#add(name, { type: "decimal", precision, scale });
  }
  unsignedDecimal(name: string, precision = 8, scale = 2): ColumnDefinition {
    return this.decimal(name, precision, scale).unsigned();
  }
  /**
   * Laravel 11+: `float("x")` is double precision (53 binary digits); `float("x", 24)`
   * or less is single precision (PostgreSQL `real`, MySQL `float`).
   */
  float(name: string, precision = 53): ColumnDefinition {
    if (!Number.isInteger(precision) || precision < 1 || precision > 53) {
      throw new InvalidSchemaError(`float column "${name}" needs a precision from 1 to 53 binary digits, got ${precision}`);
    }
    return this.#add(name, { type: "float", precision });
  }
  double(name: string): ColumnDefinition {
    return this.#add(name, { type: "double" });
  }
  boolean(name: string): ColumnDefinition {
    return this.#add(name, { type: "boolean" });
  }

  // ── text ──────────────────────────────────────────────────────────────────

  string(name: string, length = 255): ColumnDefinition {
    assertLength(name, length);
    return this.#add(name, { type: "string", length });
  }
  char(name: string, length = 255): ColumnDefinition {
    assertLength(name, length);
    return this.#add(name, { type: "char", length });
  }
  text(name: string): ColumnDefinition {
    return this.#add(name, { type: "text" });
  }
  tinyText(name: string): ColumnDefinition {
    return this.#add(name, { type: "tinyText" });
  }
  mediumText(name: string): ColumnDefinition {
    return this.#add(name, { type: "mediumText" });
  }
  longText(name: string): ColumnDefinition {
    return this.#add(name, { type: "longText" });
  }
  json(name: string): ColumnDefinition {
    return this.#add(name, { type: "json" });
  }
  jsonb(name: string): ColumnDefinition {
    return this.#add(name, { type: "jsonb" });
  }
  uuid(name = "uuid"): ColumnDefinition {
    return this.#add(name, { type: "uuid" });
  }
  /** A ULID as Laravel stores it: `char(26)` on every dialect. */
  ulid(name = "ulid", length = ULID_LENGTH): ColumnDefinition {
    return this.char(name, length);
  }
  /** Laravel's "remember me" token: a nullable `varchar(100)` named `remember_token`. */
  rememberToken(): ColumnDefinition {
    return this.string("remember_token", 100).nullable();
  }
  binary(name: string): ColumnDefinition {
    return this.#add(name, { type: "binary" });
  }
  enum(name: string, values: readonly string[]): ColumnDefinition {
    if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== "string")) {
      throw new InvalidSchemaError(`enum column "${name}" needs a non-empty list of string values`);
    }
    values.forEach((value, i) => assertNoNulByte(value, `value ${i + 1} of enum column "${name}" of table "${this.tableName}"`));
    return this.#add(name, { type: "enum", values: [...values] });
  }

  // ── dates and times ───────────────────────────────────────────────────────

  date(name: string): ColumnDefinition {
    return this.#add(name, { type: "date" });
  }
  time(name: string): ColumnDefinition {
    return this.#add(name, { type: "time" });
  }
  datetime(name: string): ColumnDefinition {
    return this.#add(name, { type: "datetime" });
  }
  /** Laravel's spelling of `datetime`. */
  dateTime(name: string): ColumnDefinition {
    return this.datetime(name);
  }
  timestamp(name: string): ColumnDefinition {
    return this.#add(name, { type: "timestamp" });
  }
  /** A timestamp with time zone; `precision` fractional-second digits (Laravel's default 0). */
  timestampTz(name: string, precision = 0): ColumnDefinition {
    if (!Number.isInteger(precision) || precision < 0 || precision > 6) {
      throw new InvalidSchemaError(`timestampTz column "${name}" needs a precision from 0 to 6, got ${precision}`);
    }
    return this.#add(name, { type: "timestampTz", precision });
  }
  /**
   * `created_at` and `updated_at`: nullable timestamps without a default, as Laravel
   * makes them (so they can be added to a table with rows on every dialect).
   */
  timestamps(): void {
    this.timestamp("created_at").nullable();
    this.timestamp("updated_at").nullable();
  }
  /** Laravel's alias of `timestamps()` (both are nullable). */
  nullableTimestamps(): void {
    this.timestamps();
  }
  /** `timestamps()` with time zone: nullable `created_at` and `updated_at`. */
  timestampsTz(precision = 0): void {
    this.timestampTz("created_at", precision).nullable();
    this.timestampTz("updated_at", precision).nullable();
  }
  /** A nullable `deleted_at` timestamp. */
  softDeletes(name = "deleted_at"): ColumnDefinition {
    return this.timestamp(name).nullable();
  }
  /** A nullable `deleted_at` timestamp with time zone. */
  softDeletesTz(name = "deleted_at", precision = 0): ColumnDefinition {
    return this.timestampTz(name, precision).nullable();
  }
  year(name: string): ColumnDefinition {
    return this.#add(name, { type: "year" });
  }

  // ── network and spatial ───────────────────────────────────────────────────

  inet(name: string): ColumnDefinition {
    return this.#add(name, { type: "inet" });
  }
  cidr(name: string): ColumnDefinition {
    return this.#add(name, { type: "cidr" });
  }
  macAddress(name: string): ColumnDefinition {
    return this.#add(name, { type: "macAddress" });
  }
  point(name: string): ColumnDefinition {
    return this.#add(name, { type: "point" });
  }
  geometry(name: string): ColumnDefinition {
    return this.#add(name, { type: "geometry" });
  }

  // ── foreign keys and polymorphic relations ────────────────────────────────

  /** An unsigned big integer meant for a foreign key; chain `.constrained()` to add it. */
  foreignId(name: string): ForeignIdColumnDefinition {
    return this.pushColumn(new ForeignIdColumnDefinition(this, name, { type: "bigInteger" }, { unsigned: true }));
  }
  foreignUuid(name: string): ForeignIdColumnDefinition {
    return this.pushColumn(new ForeignIdColumnDefinition(this, name, { type: "uuid" }));
  }
  /** A `char(26)` ULID meant for a foreign key. */
  foreignUlid(name: string, length = ULID_LENGTH): ForeignIdColumnDefinition {
    assertLength(name, length);
    return this.pushColumn(new ForeignIdColumnDefinition(this, name, { type: "char", length }));
  }
  /**
   * Laravel's `foreignIdFor(Model::class)` without models: `foreignIdFor("users")` is
   * `user_id`, an unsigned big integer; `foreignIdFor({ table: "teams", primaryKey:
   * "uuid", keyType: "uuid" })` is `team_uuid`, a uuid. `.constrained()` then adds the
   * key to that table and key.
   */
  foreignIdFor(target: ForeignIdTarget, column?: string): ForeignIdColumnDefinition {
    const { table, primaryKey = "id", keyType = "int" } = typeof target === "string" ? { table: target } : (target ?? {}) as Exclude<ForeignIdTarget, string>;
    assertIdentifier(table, "foreignIdFor() table");
    assertIdentifier(primaryKey, "foreignIdFor() primaryKey");
    if (!KEY_TYPES.includes(keyType)) {
      throw new InvalidSchemaError(`foreignIdFor("${table}"): keyType must be one of ${KEY_TYPES.join(", ")}, got ${String(keyType)}`);
    }
    const name = column ?? `${singularTable(table)}_${primaryKey}`;
    const referenced = { table, column: primaryKey };
    const typed: TypedColumn =
      keyType === "uuid" ? { type: "uuid" } : keyType === "ulid" ? { type: "char", length: ULID_LENGTH } : { type: "bigInteger" };
    const attributes: Partial<ColumnModifiers> = keyType === "int" ? { unsigned: true } : {};
    return this.pushColumn(new ForeignIdColumnDefinition(this, name, typed, attributes, referenced));
  }
  /**
   * `{name}_type` and `{name}_id` with an index over both (polymorphic relations). The id
   * is an unsigned big integer: Laravel's default morph key type.
   */
  morphs(name: string, indexName?: string): void {
    this.numericMorphs(name, indexName);
  }
  nullableMorphs(name: string, indexName?: string): void {
    this.nullableNumericMorphs(name, indexName);
  }
  numericMorphs(name: string, indexName?: string): void {
    this.#morphs(name, indexName, false, (id) => this.unsignedBigInteger(id));
  }
  nullableNumericMorphs(name: string, indexName?: string): void {
    this.#morphs(name, indexName, true, (id) => this.unsignedBigInteger(id));
  }
  uuidMorphs(name: string, indexName?: string): void {
    this.#morphs(name, indexName, false, (id) => this.uuid(id));
  }
  nullableUuidMorphs(name: string, indexName?: string): void {
    this.#morphs(name, indexName, true, (id) => this.uuid(id));
  }
  ulidMorphs(name: string, indexName?: string): void {
    this.#morphs(name, indexName, false, (id) => this.ulid(id));
  }
  nullableUlidMorphs(name: string, indexName?: string): void {
    this.#morphs(name, indexName, true, (id) => this.ulid(id));
  }

  #morphs(name: string, indexName: string | undefined, nullable: boolean, id: (column: string) => ColumnDefinition): void {
    this.string(`${name}_type`).nullable(nullable);
    id(`${name}_id`).nullable(nullable);
    this.index([`${name}_type`, `${name}_id`], indexName);
  }

  #add(name: string, typed: TypedColumn, attributes: Partial<ColumnModifiers> = {}): ColumnDefinition {
    return this.pushColumn(new ColumnDefinition(this, name, typed, attributes));
  }

  /** Integer columns with Laravel's positional auto-increment: the column is the primary key, as in Laravel. */
  #integer(name: string, type: IntegerType, method: string, autoIncrement: unknown, unsigned: unknown): ColumnDefinition {
    // `integer("votes", 11)` is a MySQL display width written the old way; Laravel would
    // quietly make it an auto-increment key. Only a real boolean is taken.
    if (typeof autoIncrement !== "boolean") {
      throw new InvalidSchemaError(
        `${method}("${name}", ${String(autoIncrement)}): the second argument is autoIncrement, a boolean, as in Laravel ` +
          "(display widths such as integer(11) are not supported)",
      );
    }
    if (typeof unsigned !== "boolean") {
      throw new InvalidSchemaError(`${method}("${name}", ${autoIncrement}, ${String(unsigned)}): the third argument is unsigned, a boolean`);
    }
    const attributes: Partial<ColumnModifiers> = { unsigned };
    return this.#add(name, { type }, autoIncrement ? { ...attributes, autoIncrement: true, primary: true } : attributes);
  }
}

function assertLength(name: string, length: number): void {
  if (!Number.isInteger(length) || length < 1) {
    throw new InvalidSchemaError(`length of column "${name}" must be a positive integer, got ${length}`);
  }
}

function assertPrecision(name: string, precision: number, scale: number): void {
  if (!Number.isInteger(precision) || precision < 1 || !Number.isInteger(scale) || scale < 0 || scale > precision) {
    throw new InvalidSchemaError(`decimal column "${name}" needs 1 <= precision and 0 <= scale <= precision, got (${precision}, ${scale})`);
  }
}
