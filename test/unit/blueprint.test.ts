import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { InvalidSchemaError } from "../../src/errors.js";
import { Blueprint } from "../../src/schema/blueprint.js";
import { ColumnDefinition } from "../../src/schema/column-definition.js";
import { RawExpression, raw, type ColumnOf, type ColumnSpec, type SchemaCommand } from "../../src/schema/commands.js";
import { guessReferencedTable } from "../../src/schema/foreign-key-definition.js";
import {
  assertIdentifier,
  defaultIndexName,
  defaultPrimaryKeyName,
  shortenIdentifier,
} from "../../src/schema/naming.js";
import { columnSpec, type ColumnFields } from "../support/column-spec.js";
import { blogPosts, blogUsers } from "../support/blog.js";

const PG = 63;
const MYSQL = 64;

function commands(table: string, mode: "create" | "alter", build: (t: Blueprint) => void, max = PG): SchemaCommand[] {
  const bp = new Blueprint(table, mode, { maxIdentifierLength: max });
  build(bp);
  return strip(bp.toCommands());
}

const create = (table: string, build: (t: Blueprint) => void, max = PG) => commands(table, "create", build, max);
const alter = (table: string, build: (t: Blueprint) => void, max = PG) => commands(table, "alter", build, max);

/**
 * Drop keys whose value is `undefined` from plain objects (recursively), so expectations
 * do not depend on whether an absent attribute is left out or set to undefined.
 * Class instances (RawExpression) are kept as they are.
 */
function strip<T>(value: T): T {
  if (Array.isArray(value)) return value.map(strip) as T;
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = strip(v);
    return out as T;
  }
  return value;
}

/** A ColumnSpec with every boolean attribute off, as a fresh column has them. */
function col(name: string, type: ColumnSpec["type"], extra: Partial<ColumnFields> = {}): ColumnSpec {
  return columnSpec({ name, type, ...extra });
}

const ID = col("id", "integer", { autoIncrement: true, primary: true, unsigned: true });
const TIMESTAMPS = [col("created_at", "timestamp", { nullable: true }), col("updated_at", "timestamp", { nullable: true })];

function createTable(table: string, rest: Partial<Extract<SchemaCommand, { kind: "createTable" }>>): SchemaCommand {
  return { kind: "createTable", table, ifNotExists: false, columns: [], indexes: [], foreignKeys: [], ...rest };
}

function assertInvalid(fn: () => unknown, pattern?: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof InvalidSchemaError, `expected InvalidSchemaError, got ${String(error)}`);
    assert.equal((error as InvalidSchemaError).code, "INVALID_SCHEMA");
    if (pattern) assert.match((error as Error).message, pattern);
    return true;
  });
}

describe("Blueprint create: exact commands", () => {
  test("the spec's users table", () => {
    const result = create("users", blogUsers);
    assert.deepEqual(result, [
      createTable("users", {
        columns: [
          ID,
          col("name", "string", { length: 255 }),
          col("email", "string", { length: 255 }),
          col("password", "string", { length: 255 }),
          ...TIMESTAMPS,
        ],
        indexes: [{ type: "unique", name: "users_email_unique", columns: ["email"] }],
      }),
    ]);
  });

  test("the spec's posts table: foreign key with default name", () => {
    const result = create("posts", blogPosts);
    assert.deepEqual(result, [
      createTable("posts", {
        columns: [
          ID,
          col("user_id", "integer", { unsigned: true }),
          col("title", "string", { length: 255 }),
          col("content", "text"),
          ...TIMESTAMPS,
        ],
        foreignKeys: [
          { name: "posts_user_id_foreign", columns: ["user_id"], referencedTable: "users", referencedColumns: ["id"] },
        ],
      }),
    ]);
  });

  test("pivot table with cascading foreign keys", () => {
    const result = create("post_tag", (t) => {
      t.increments("id");
      t.integer("post_id").unsigned();
      t.foreign("post_id").references("id").on("posts").onDelete("cascade");
      t.integer("tag_id").unsigned();
      t.foreign("tag_id").references("id").on("tags").onDelete("cascade").onUpdate("restrict");
    });
    assert.deepEqual(result, [
      createTable("post_tag", {
        columns: [ID, col("post_id", "integer", { unsigned: true }), col("tag_id", "integer", { unsigned: true })],
        foreignKeys: [
          {
            name: "post_tag_post_id_foreign",
            columns: ["post_id"],
            referencedTable: "posts",
            referencedColumns: ["id"],
            onDelete: "cascade",
          },
          {
            name: "post_tag_tag_id_foreign",
            columns: ["tag_id"],
            referencedTable: "tags",
            referencedColumns: ["id"],
            onDelete: "cascade",
            onUpdate: "restrict",
          },
        ],
      }),
    ]);
  });

  test("explicit indexes: default names and composite columns", () => {
    const result = create("articles", (t) => {
      t.string("slug");
      t.string("title");
      t.text("body");
      t.integer("author_id");
      t.unique(["author_id", "slug"]);
      t.index("title");
      t.fulltext("body");
      t.primary("slug");
    });
    assert.deepEqual(result, [
      createTable("articles", {
        columns: [
          col("slug", "string", { length: 255 }),
          col("title", "string", { length: 255 }),
          col("body", "text"),
          col("author_id", "integer"),
        ],
        primaryKey: { type: "primary", name: "articles_pkey", columns: ["slug"] },
        indexes: [
          { type: "unique", name: "articles_author_id_slug_unique", columns: ["author_id", "slug"] },
          { type: "index", name: "articles_title_index", columns: ["title"] },
          { type: "fulltext", name: "articles_body_fulltext", columns: ["body"] },
        ],
      }),
    ]);
  });

  test("explicit index names are kept", () => {
    const result = create("t", (t) => {
      t.string("a").unique("a_is_unique");
      t.string("b").index("b_lookup");
      t.unique(["a", "b"], "ab_unique");
      t.primary(["a", "b"], "t_primary_custom");
    });
    const table = result[0] as Extract<SchemaCommand, { kind: "createTable" }>;
    assert.deepEqual(table.primaryKey, { type: "primary", name: "t_primary_custom", columns: ["a", "b"] });
    assert.deepEqual(table.indexes, [
      { type: "unique", name: "a_is_unique", columns: ["a"] },
      { type: "index", name: "b_lookup", columns: ["b"] },
      { type: "unique", name: "ab_unique", columns: ["a", "b"] },
    ]);
  });

  test("fluent primary() on a column gives a table primary key {table}_pkey", () => {
    const result = create("codes", (t) => {
      t.string("code", 12).primary();
    });
    assert.deepEqual(result, [
      createTable("codes", {
        columns: [col("code", "string", { length: 12 })],
        primaryKey: { type: "primary", name: "codes_pkey", columns: ["code"] },
      }),
    ]);
  });

  test("column types and helpers normalize onto ColumnSpecs", () => {
    const result = create("everything", (t) => {
      t.id();
      t.bigInteger("big");
      t.smallInteger("small");
      t.tinyInteger("tiny");
      t.mediumInteger("medium");
      t.unsignedInteger("ui");
      t.unsignedBigInteger("ubi");
      t.decimal("price");
      t.decimal("amount", 12, 4);
      t.unsignedDecimal("ud", 5, 1);
      t.float("f");
      t.double("d");
      t.boolean("flag");
      t.char("code", 3);
      t.char("code2");
      t.string("short", 20);
      t.tinyText("tt");
      t.mediumText("mt");
      t.longText("lt");
      t.json("j");
      t.jsonb("jb");
      t.uuid("u");
      t.binary("bin");
      t.date("dt");
      t.time("tm");
      t.datetime("dtm");
      t.dateTime("dtm2");
      t.year("yr");
      t.enum("status", ["draft", "published"]);
      t.inet("ip");
      t.cidr("net");
      t.macAddress("mac");
      t.point("pt");
      t.geometry("geo");
      t.softDeletes();
    });
    const table = result[0] as Extract<SchemaCommand, { kind: "createTable" }>;
    assert.deepEqual(table.columns, [
      col("id", "bigInteger", { autoIncrement: true, primary: true, unsigned: true }),
      col("big", "bigInteger"),
      col("small", "smallInteger"),
      col("tiny", "tinyInteger"),
      col("medium", "mediumInteger"),
      col("ui", "integer", { unsigned: true }),
      col("ubi", "bigInteger", { unsigned: true }),
      col("price", "decimal", { precision: 8, scale: 2 }),
      col("amount", "decimal", { precision: 12, scale: 4 }),
      col("ud", "decimal", { precision: 5, scale: 1, unsigned: true }),
      col("f", "float", { precision: 53 }),
      col("d", "double"),
      col("flag", "boolean"),
      col("code", "char", { length: 3 }),
      col("code2", "char", { length: 255 }),
      col("short", "string", { length: 20 }),
      col("tt", "tinyText"),
      col("mt", "mediumText"),
      col("lt", "longText"),
      col("j", "json"),
      col("jb", "jsonb"),
      col("u", "uuid"),
      col("bin", "binary"),
      col("dt", "date"),
      col("tm", "time"),
      col("dtm", "datetime"),
      col("dtm2", "datetime"),
      col("yr", "year"),
      col("status", "enum", { values: ["draft", "published"] }),
      col("ip", "inet"),
      col("net", "cidr"),
      col("mac", "macAddress"),
      col("pt", "point"),
      col("geo", "geometry"),
      col("deleted_at", "timestamp", { nullable: true }),
    ]);
    assert.equal(table.primaryKey, undefined);
  });

  test("increment helpers", () => {
    const kinds = (["increments", "bigIncrements", "smallIncrements", "tinyIncrements"] as const).map((helper) => {
      const result = create("t", (t) => {
        t[helper]("id");
      });
      return (result[0] as Extract<SchemaCommand, { kind: "createTable" }>).columns[0];
    });
    assert.deepEqual(kinds, [
      col("id", "integer", { autoIncrement: true, primary: true, unsigned: true }),
      col("id", "bigInteger", { autoIncrement: true, primary: true, unsigned: true }),
      col("id", "smallInteger", { autoIncrement: true, primary: true, unsigned: true }),
      col("id", "tinyInteger", { autoIncrement: true, primary: true, unsigned: true }),
    ]);
  });

  test("modifiers land on the spec", () => {
    const result = create("t", (t) => {
      t.integer("votes").default(0).nullable().comment("how many");
      t.string("state").default("new");
      t.boolean("active").default(false);
      t.string("note").nullable().default(null);
      t.timestamp("seen_at").useCurrent().useCurrentOnUpdate();
      t.timestamp("made_at").default(raw("CURRENT_TIMESTAMP"));
      t.bigInteger("huge").default(9007199254740993n);
      t.string("toggled").nullable().nullable(false);
    });
    const columns = (result[0] as Extract<SchemaCommand, { kind: "createTable" }>).columns;
    assert.deepEqual(columns, [
      col("votes", "integer", { default: 0, nullable: true, comment: "how many" }),
      col("state", "string", { length: 255, default: "new" }),
      col("active", "boolean", { default: false }),
      col("note", "string", { length: 255, nullable: true, default: null }),
      col("seen_at", "timestamp", { useCurrent: true, useCurrentOnUpdate: true }),
      col("made_at", "timestamp", { default: raw("CURRENT_TIMESTAMP") }),
      col("huge", "bigInteger", { default: 9007199254740993n }),
      col("toggled", "string", { length: 255 }),
    ]);
    assert.ok(columns[5]!.default instanceof RawExpression);
    assert.equal((columns[5]!.default as RawExpression).sql, "CURRENT_TIMESTAMP");
  });

  test("enum values are copied, not shared with the caller", () => {
    const values = ["a", "b"];
    const bp = new Blueprint("t", "create", { maxIdentifierLength: PG });
    bp.enum("e", values);
    values.push("c");
    const table = bp.toCommands()[0] as Extract<SchemaCommand, { kind: "createTable" }>;
    assert.deepEqual((table.columns[0] as ColumnOf<"enum">).values, ["a", "b"]);
  });

  test("morphs: type and id columns with a composite index", () => {
    const result = create("comments", (t) => {
      t.morphs("commentable");
    });
    assert.deepEqual(result, [
      createTable("comments", {
        columns: [
          col("commentable_type", "string", { length: 255 }),
          col("commentable_id", "bigInteger", { unsigned: true }),
        ],
        indexes: [
          {
            type: "index",
            name: "comments_commentable_type_commentable_id_index",
            columns: ["commentable_type", "commentable_id"],
          },
        ],
      }),
    ]);
  });

  test("foreign key with several columns, explicit name via argument and via name()", () => {
    const result = create("grades", (t) => {
      t.integer("student_id");
      t.integer("course_id");
      t.foreign(["student_id", "course_id"], "grades_enrolment_fk").references(["student_id", "course_id"]).on("enrolments");
      t.integer("teacher_id");
      t.foreign("teacher_id").references("id").inTable("teachers").name("grades_teacher_fk").nullOnDelete().cascadeOnUpdate();
    });
    const table = result[0] as Extract<SchemaCommand, { kind: "createTable" }>;
    assert.deepEqual(table.foreignKeys, [
      {
        name: "grades_enrolment_fk",
        columns: ["student_id", "course_id"],
        referencedTable: "enrolments",
        referencedColumns: ["student_id", "course_id"],
      },
      {
        name: "grades_teacher_fk",
        columns: ["teacher_id"],
        referencedTable: "teachers",
        referencedColumns: ["id"],
        onDelete: "set null",
        onUpdate: "cascade",
      },
    ]);
  });

  test("references() defaults to id when omitted", () => {
    const result = create("posts", (t) => {
      t.integer("user_id");
      t.foreign("user_id").on("users");
    });
    const table = result[0] as Extract<SchemaCommand, { kind: "createTable" }>;
    assert.deepEqual(table.foreignKeys[0]!.referencedColumns, ["id"]);
  });

  test("referential actions accept Laravel spellings", () => {
    const actions = ["cascade", "CASCADE", "set null", "set_null", "SET NULL", "no action", "no_action", "restrict", "set default"];
    const result = create("t", (t) => {
      actions.forEach((action, i) => {
        t.integer(`c${i}`);
        t.foreign(`c${i}`).on("other").onDelete(action);
      });
    });
    const table = result[0] as Extract<SchemaCommand, { kind: "createTable" }>;
    assert.deepEqual(
      table.foreignKeys.map((fk) => fk.onDelete),
      ["cascade", "cascade", "set null", "set null", "set null", "no action", "no action", "restrict", "set default"],
    );
  });

  test("helper actions", () => {
    const result = create("t", (t) => {
      t.integer("a");
      t.foreign("a").on("x").cascadeOnDelete().restrictOnUpdate();
      t.integer("b");
      t.foreign("b").on("x").restrictOnDelete().nullOnUpdate();
      t.integer("c");
      t.foreign("c").on("x").noActionOnDelete().noActionOnUpdate();
    });
    const table = result[0] as Extract<SchemaCommand, { kind: "createTable" }>;
    assert.deepEqual(
      table.foreignKeys.map((fk) => [fk.onDelete, fk.onUpdate]),
      [
        ["cascade", "restrict"],
        ["restrict", "set null"],
        ["no action", "no action"],
      ],
    );
  });
});

describe("foreignId().constrained()", () => {
  test("user_id → users.id, unsigned big integer column, default name", () => {
    const result = create("posts", (t) => {
      t.id();
      t.foreignId("user_id").constrained().cascadeOnDelete();
    });
    assert.deepEqual(result, [
      createTable("posts", {
        columns: [
          col("id", "bigInteger", { autoIncrement: true, primary: true, unsigned: true }),
          col("user_id", "bigInteger", { unsigned: true }),
        ],
        foreignKeys: [
          {
            name: "posts_user_id_foreign",
            columns: ["user_id"],
            referencedTable: "users",
            referencedColumns: ["id"],
            onDelete: "cascade",
          },
        ],
      }),
    ]);
  });

  for (const [column, table] of [
    ["user_id", "users"],
    ["category_id", "categories"],
    ["box_id", "boxes"],
    ["status_id", "statuses"],
    ["church_id", "churches"],
    ["key_id", "keys"],
    ["blog_post_id", "blog_posts"],
  ] as const) {
    test(`${column} guesses ${table}`, () => {
      assert.equal(guessReferencedTable(column), table);
      const result = create("t", (t) => {
        t.foreignId(column).constrained();
      });
      const fk = (result[0] as Extract<SchemaCommand, { kind: "createTable" }>).foreignKeys[0]!;
      assert.equal(fk.referencedTable, table);
      assert.deepEqual(fk.referencedColumns, ["id"]);
    });
  }

  test("constrained(table, column) overrides the guess", () => {
    const result = create("books", (t) => {
      t.foreignUuid("writer_id").constrained("authors", "uuid");
    });
    assert.deepEqual(result, [
      createTable("books", {
        columns: [col("writer_id", "uuid")],
        foreignKeys: [
          { name: "books_writer_id_foreign", columns: ["writer_id"], referencedTable: "authors", referencedColumns: ["uuid"] },
        ],
      }),
    ]);
  });

  test("foreignId().references().on() without constrained()", () => {
    const result = create("books", (t) => {
      t.foreignId("author_id").references("id").on("users");
    });
    const table = result[0] as Extract<SchemaCommand, { kind: "createTable" }>;
    assert.deepEqual(table.foreignKeys, [
      { name: "books_author_id_foreign", columns: ["author_id"], referencedTable: "users", referencedColumns: ["id"] },
    ]);
  });

  test("foreignId() alone adds no foreign key", () => {
    const result = create("books", (t) => {
      t.foreignId("author_id");
    });
    assert.deepEqual((result[0] as Extract<SchemaCommand, { kind: "createTable" }>).foreignKeys, []);
  });

  test("in schema.table(): addColumn then addForeignKey", () => {
    const result = alter("posts", (t) => {
      t.foreignId("category_id").nullable().constrained().nullOnDelete();
    });
    assert.deepEqual(result, [
      { kind: "addColumn", table: "posts", column: col("category_id", "bigInteger", { unsigned: true, nullable: true }) },
      {
        kind: "addForeignKey",
        table: "posts",
        foreignKey: {
          name: "posts_category_id_foreign",
          columns: ["category_id"],
          referencedTable: "categories",
          referencedColumns: ["id"],
          onDelete: "set null",
        },
      },
    ]);
  });
});

describe("Blueprint alter: exact commands and ordering", () => {
  test("every operation, columns included, in the order the callback wrote it", () => {
    const result = alter("users", (t) => {
      t.dropColumn("legacy");
      t.string("email").unique();
      t.index("name");
      t.foreign("team_id").references("id").on("teams");
      t.integer("age").nullable().change();
      t.renameColumn("nick", "nickname");
      t.string("phone", 30).index();
      t.dropUnique(["username"]);
    });
    assert.deepEqual(result, [
      { kind: "dropColumns", table: "users", columns: ["legacy"] },
      { kind: "addColumn", table: "users", column: col("email", "string", { length: 255 }) },
      { kind: "addIndex", table: "users", index: { type: "unique", name: "users_email_unique", columns: ["email"] } },
      { kind: "addIndex", table: "users", index: { type: "index", name: "users_name_index", columns: ["name"] } },
      {
        kind: "addForeignKey",
        table: "users",
        foreignKey: { name: "users_team_id_foreign", columns: ["team_id"], referencedTable: "teams", referencedColumns: ["id"] },
      },
      { kind: "changeColumn", table: "users", column: col("age", "integer", { nullable: true }) },
      { kind: "renameColumn", table: "users", from: "nick", to: "nickname" },
      { kind: "addColumn", table: "users", column: col("phone", "string", { length: 30 }) },
      { kind: "addIndex", table: "users", index: { type: "index", name: "users_phone_index", columns: ["phone"] } },
      { kind: "dropIndex", table: "users", type: "unique", name: "users_username_unique" },
    ]);
  });

  test("addColumn carries placement modifiers", () => {
    const result = alter("users", (t) => {
      t.string("middle_name").nullable().after("first_name");
      t.integer("rank").first();
    });
    assert.deepEqual(result, [
      { kind: "addColumn", table: "users", column: col("middle_name", "string", { length: 255, nullable: true, after: "first_name" }) },
      { kind: "addColumn", table: "users", column: col("rank", "integer", { first: true }) },
    ]);
  });

  test("drop and rename commands with default names", () => {
    const result = alter("users", (t) => {
      t.dropColumn("a", ["b", "c"]);
      t.dropTimestamps();
      t.dropSoftDeletes();
      t.dropPrimary();
      t.dropPrimary("users_custom_pk");
      t.dropUnique("users_email_unique");
      t.dropUnique(["team_id", "email"]);
      t.dropIndex(["name"]);
      t.dropIndex("some_index");
      t.dropFulltext(["bio"]);
      t.renameIndex("old_idx", "new_idx");
      t.dropForeign(["team_id"]);
      t.dropForeign("users_custom_foreign");
    });
    assert.deepEqual(result, [
      { kind: "dropColumns", table: "users", columns: ["a", "b", "c"] },
      { kind: "dropColumns", table: "users", columns: ["created_at", "updated_at"] },
      { kind: "dropColumns", table: "users", columns: ["deleted_at"] },
      { kind: "dropIndex", table: "users", type: "primary", name: "users_pkey" },
      { kind: "dropIndex", table: "users", type: "primary", name: "users_custom_pk" },
      { kind: "dropIndex", table: "users", type: "unique", name: "users_email_unique" },
      { kind: "dropIndex", table: "users", type: "unique", name: "users_team_id_email_unique" },
      { kind: "dropIndex", table: "users", type: "index", name: "users_name_index" },
      { kind: "dropIndex", table: "users", type: "index", name: "some_index" },
      { kind: "dropIndex", table: "users", type: "fulltext", name: "users_bio_fulltext" },
      { kind: "renameIndex", table: "users", from: "old_idx", to: "new_idx" },
      { kind: "dropForeignKey", table: "users", name: "users_team_id_foreign" },
      { kind: "dropForeignKey", table: "users", name: "users_custom_foreign" },
    ]);
  });

  test("explicit primary key in alter is an addIndex of type primary named {table}_pkey", () => {
    const result = alter("t", (t) => {
      t.primary(["a", "b"]);
    });
    assert.deepEqual(result, [{ kind: "addIndex", table: "t", index: { type: "primary", name: "t_pkey", columns: ["a", "b"] } }]);
  });

  test("change() restates the whole column", () => {
    const result = alter("users", (t) => {
      t.string("name", 100).default("anon").change();
    });
    assert.deepEqual(result, [
      { kind: "changeColumn", table: "users", column: col("name", "string", { length: 100, default: "anon" }) },
    ]);
  });

  test("an empty alter produces no commands", () => {
    assert.deepEqual(alter("users", () => {}), []);
  });

  test("the blueprint exposes its table name", () => {
    assert.equal(new Blueprint("users", "alter", { maxIdentifierLength: PG }).tableName, "users");
  });
});

describe("default names and shortening", () => {
  test("Laravel's default name patterns", () => {
    assert.equal(defaultIndexName("users", ["email"], "unique", PG), "users_email_unique");
    assert.equal(defaultIndexName("users", ["a", "b"], "index", PG), "users_a_b_index");
    assert.equal(defaultIndexName("posts", ["user_id"], "foreign", PG), "posts_user_id_foreign");
    assert.equal(defaultIndexName("posts", ["body"], "fulltext", PG), "posts_body_fulltext");
    assert.equal(defaultPrimaryKeyName("users", PG), "users_pkey");
  });

  test("lower-cased, dots and dashes become underscores (as Laravel does)", () => {
    assert.equal(defaultIndexName("Users", ["Email"], "unique", PG), "users_email_unique");
    assert.equal(defaultIndexName("app.user-roles", ["role_id"], "index", PG), "app_user_roles_role_id_index");
    assert.equal(defaultPrimaryKeyName("app.users", PG), "app_users_pkey");
  });

  test("a name at the limit is kept as is", () => {
    const exact = "x".repeat(63);
    assert.equal(shortenIdentifier(exact, 63), exact);
  });

  test("a long name is shortened to the limit, deterministically, and keeps a readable prefix", () => {
    const table = "organisation_membership_invitations_pending";
    const columns = ["organisation_id", "invited_email_address"];
    const full = [table, ...columns, "unique"].join("_");
    assert.ok(full.length > MYSQL);
    for (const max of [PG, MYSQL, 30]) {
      const name = defaultIndexName(table, columns, "unique", max);
      assert.ok(Buffer.byteLength(name) <= max, `${name} is longer than ${max}`);
      assert.equal(defaultIndexName(table, columns, "unique", max), name, "not deterministic");
      assert.ok(name.startsWith(full.slice(0, 15)), `${name} lost its prefix`);
      assert.notEqual(name, full.slice(0, max), "plain truncation would collide");
    }
  });

  test("distinct long names stay distinct, even when they share a long prefix", () => {
    const base = "a_table_with_a_really_remarkably_long_name_for_testing";
    const one = defaultIndexName(base, ["first_column_name_x"], "index", PG);
    const two = defaultIndexName(base, ["first_column_name_y"], "index", PG);
    const three = defaultIndexName(base, ["first_column_name_x"], "unique", PG);
    assert.equal(new Set([one, two, three]).size, 3, `${one} / ${two} / ${three}`);
    for (const name of [one, two, three]) assert.ok(name.length <= PG);
  });

  test("the limit counts bytes, not characters", () => {
    const name = "é".repeat(40); // 80 bytes, 40 characters
    const short = shortenIdentifier(name, PG);
    assert.ok(Buffer.byteLength(short) <= PG, `${Buffer.byteLength(short)} bytes`);
    assert.notEqual(short, name);
  });

  test("a long primary key name is shortened too", () => {
    const table = "t".repeat(70);
    const name = defaultPrimaryKeyName(table, PG);
    assert.ok(name.length <= PG);
    assert.equal(defaultPrimaryKeyName(table, PG), name);
  });

  test("blueprints shorten default names with the dialect's limit, and dropForeign([cols]) finds the same name", () => {
    const table = "customer_subscription_billing_adjustments_history";
    const created = create(table, (t) => {
      t.integer("subscription_plan_id");
      t.foreign("subscription_plan_id").on("subscription_plans");
      t.string("adjustment_reference_code").unique();
    }) as Extract<SchemaCommand, { kind: "createTable" }>[];
    const fkName = created[0]!.foreignKeys[0]!.name;
    const uniqueName = created[0]!.indexes[0]!.name;
    assert.ok(fkName.length <= PG && uniqueName.length <= PG);
    assert.equal(fkName, defaultIndexName(table, ["subscription_plan_id"], "foreign", PG));
    assert.equal(uniqueName, defaultIndexName(table, ["adjustment_reference_code"], "unique", PG));

    const dropped = alter(table, (t) => {
      t.dropForeign(["subscription_plan_id"]);
      t.dropUnique(["adjustment_reference_code"]);
    });
    assert.deepEqual(dropped, [
      { kind: "dropForeignKey", table, name: fkName },
      { kind: "dropIndex", table, type: "unique", name: uniqueName },
    ]);
  });

  test("a different limit gives a name within that limit", () => {
    const table = "customer_subscription_billing_adjustments_history";
    const [mysql] = create(
      table,
      (t) => {
        t.string("adjustment_reference_code").unique();
      },
      MYSQL,
    ) as Extract<SchemaCommand, { kind: "createTable" }>[];
    assert.ok(mysql!.indexes[0]!.name.length <= MYSQL);
  });
});

describe("errors", () => {
  test("empty identifiers", () => {
    assertInvalid(() => new Blueprint("", "create", { maxIdentifierLength: PG }), /table name/);
    assertInvalid(() => create("t", (t) => t.string("")), /column name/);
    assertInvalid(() => create("t", (t) => t.integer("")));
    assertInvalid(() => create("t", (t) => t.index([])));
    assertInvalid(() => create("t", (t) => t.unique("")));
    assertInvalid(() => create("t", (t) => t.unique(["a"], "")));
    assertInvalid(() => create("t", (t) => t.foreign("")));
    assertInvalid(() => create("t", (t) => t.foreign([])));
    assertInvalid(() => create("t", (t) => t.foreign("a").on("")));
    assertInvalid(() => create("t", (t) => t.foreign("a").references("")));
    assertInvalid(() => alter("t", (t) => t.renameColumn("", "b")));
    assertInvalid(() => alter("t", (t) => t.renameColumn("a", "")));
    assertInvalid(() => alter("t", (t) => t.dropColumn()));
    assertInvalid(() => alter("t", (t) => t.dropColumn("")));
    assertInvalid(() => alter("t", (t) => t.dropForeign("")));
    assertInvalid(() => alter("t", (t) => t.dropIndex([])));
    assertInvalid(() => alter("t", (t) => t.renameIndex("a", "")));
    assertInvalid(() => create("t", (t) => t.string("a").after("")));
    assertInvalid(() => assertIdentifier("a\0b", "column name"), /NUL/);
    assertInvalid(() => assertIdentifier(undefined, "column name"));
  });

  test("a column defined twice in create", () => {
    assertInvalid(
      () =>
        create("users", (t) => {
          t.string("email");
          t.text("email");
        }),
      /email/,
    );
  });

  test("timestamps() plus a created_at column is a duplicate", () => {
    assertInvalid(() =>
      create("users", (t) => {
        t.timestamps();
        t.timestamp("created_at");
      }),
    );
  });

  test("change() inside create", () => {
    assertInvalid(
      () =>
        create("users", (t) => {
          t.string("name").change();
        }),
      /change\(\)/,
    );
  });

  for (const [label, build] of [
    ["dropColumn", (t: Blueprint) => t.dropColumn("a")],
    ["renameColumn", (t: Blueprint) => t.renameColumn("a", "b")],
    ["dropIndex", (t: Blueprint) => t.dropIndex("a_index")],
    ["dropUnique", (t: Blueprint) => t.dropUnique(["a"])],
    ["dropPrimary", (t: Blueprint) => t.dropPrimary()],
    ["dropForeign", (t: Blueprint) => t.dropForeign(["a"])],
    ["renameIndex", (t: Blueprint) => t.renameIndex("a", "b")],
    ["dropTimestamps", (t: Blueprint) => t.dropTimestamps()],
  ] as const) {
    test(`${label} inside create is refused`, () => {
      assertInvalid(
        () =>
          create("users", (t) => {
            t.string("a");
            build(t);
          }),
        /schema\.table/,
      );
    });
  }

  test("foreign key without on()", () => {
    assertInvalid(
      () =>
        create("posts", (t) => {
          t.integer("user_id");
          t.foreign("user_id").references("id");
        }),
      /user_id/,
    );
    assertInvalid(() =>
      alter("posts", (t) => {
        t.foreign("user_id").references("id");
      }),
    );
    assertInvalid(() =>
      create("posts", (t) => {
        t.foreignId("user_id").references("id");
      }),
    );
  });

  test("foreign key whose column count does not match the referenced columns", () => {
    assertInvalid(() =>
      create("t", (t) => {
        t.foreign(["a", "b"]).references("id").on("x");
      }),
    );
  });

  test("bad onDelete / onUpdate action", () => {
    assertInvalid(() => create("t", (t) => t.foreign("a").on("x").onDelete("explode")), /explode/);
    assertInvalid(() => create("t", (t) => t.foreign("a").on("x").onUpdate("")));
    assertInvalid(() => create("t", (t) => t.foreignId("a").constrained().onDelete("nothing")));
  });

  test("enum without values", () => {
    assertInvalid(() => create("t", (t) => t.enum("status", [])), /status/);
    assertInvalid(() => create("t", (t) => t.enum("status", undefined as unknown as string[])));
    assertInvalid(() => create("t", (t) => t.enum("status", [1, 2] as unknown as string[])));
  });

  test("bad decimal precision or scale", () => {
    assertInvalid(() => create("t", (t) => t.decimal("p", 0, 0)), /p/);
    assertInvalid(() => create("t", (t) => t.decimal("p", -1, 0)));
    assertInvalid(() => create("t", (t) => t.decimal("p", 5, 6)));
    assertInvalid(() => create("t", (t) => t.decimal("p", 8.5, 2)));
    assertInvalid(() => create("t", (t) => t.decimal("p", 8, -1)));
    assertInvalid(() => create("t", (t) => t.decimal("p", 8, 1.5)));
    assertInvalid(() => create("t", (t) => t.unsignedDecimal("p", 2, 3)));
  });

  test("bad string length", () => {
    assertInvalid(() => create("t", (t) => t.string("s", 0)));
    assertInvalid(() => create("t", (t) => t.char("c", 2.5)));
  });

  test("default of an object, array, function, symbol or non-finite number", () => {
    assertInvalid(() => create("t", (t) => t.json("j").default({ a: 1 } as never)), /j/);
    assertInvalid(() => create("t", (t) => t.json("j").default([1, 2] as never)));
    assertInvalid(() => create("t", (t) => t.date("d").default(new Date() as never)));
    assertInvalid(() => create("t", (t) => t.string("s").default((() => "x") as never)));
    assertInvalid(() => create("t", (t) => t.string("s").default(Symbol("x") as never)));
    assertInvalid(() => create("t", (t) => t.float("f").default(Number.NaN)));
    assertInvalid(() => create("t", (t) => t.float("f").default(Number.POSITIVE_INFINITY)));
  });

  test("two auto-increment primary keys, or an increment plus a primary key", () => {
    assertInvalid(() =>
      create("t", (t) => {
        t.increments("id");
        t.bigIncrements("other_id");
      }),
    );
    assertInvalid(() =>
      create("t", (t) => {
        t.increments("id");
        t.primary("id");
      }),
    );
    assertInvalid(() =>
      create("t", (t) => {
        t.string("a").primary();
        t.primary(["a"]);
      }),
    );
  });

  test("a non-string comment", () => {
    assertInvalid(() => create("t", (t) => t.string("s").comment(42 as never)));
  });

  test("ColumnDefinition refuses an empty name on its own", () => {
    assertInvalid(() => new ColumnDefinition({ addFluentIndex() {} }, "", { type: "string", length: 255 }));
  });
});

describe("raw() across copies of Mortar", () => {
  test("a raw expression made by another copy (global and local installs) is still recognised", async () => {
    const { RawExpression } = await import("../../src/schema/commands.js");
    const foreign = { sql: "now()", [Symbol.for("mortar.raw")]: true };
    assert.ok(foreign instanceof RawExpression);
    assert.ok(!({ sql: "now()" } instanceof RawExpression), "a plain object is not");
  });
});

describe("Blueprint: operations in the order written", () => {
  test("renameColumn then change() of the new name: the rename comes first", () => {
    const result = alter("users", (t) => {
      t.renameColumn("name", "full_name");
      t.string("full_name", 120).nullable().change();
    });
    assert.deepEqual(result, [
      { kind: "renameColumn", table: "users", from: "name", to: "full_name" },
      { kind: "changeColumn", table: "users", column: col("full_name", "string", { length: 120, nullable: true }) },
    ]);
  });

  test("dropColumn then a column of the same name: the drop comes first", () => {
    const result = alter("users", (t) => {
      t.dropColumn("code");
      t.integer("code").nullable();
    });
    assert.deepEqual(
      result.map((c) => c.kind),
      ["dropColumns", "addColumn"],
    );
  });

  test("a column's fluent index follows that column, before later operations", () => {
    const result = alter("users", (t) => {
      t.string("email").unique();
      t.renameColumn("email", "mail");
    });
    assert.deepEqual(
      result.map((c) => c.kind),
      ["addColumn", "addIndex", "renameColumn"],
    );
  });

  test("create keeps indexes in call order", () => {
    const table = create("t", (t) => {
      t.string("a");
      t.index("a");
      t.string("b").unique();
    })[0] as Extract<SchemaCommand, { kind: "createTable" }>;
    assert.deepEqual(
      table.indexes.map((i) => i.name),
      ["t_a_index", "t_b_unique"],
    );
  });
});

describe("Blueprint: an index asked for twice", () => {
  const EMAIL_UNIQUE = { kind: "addIndex", table: "users", index: { type: "unique", name: "users_email_unique", columns: ["email"] } };

  test("unique().unique() on one column makes one index (alter)", () => {
    const result = alter("users", (t) => {
      t.string("email").unique().unique();
    });
    assert.deepEqual(result, [{ kind: "addColumn", table: "users", column: col("email", "string", { length: 255 }) }, EMAIL_UNIQUE]);
  });

  test("fluent unique() plus unique(column) makes one index (alter and create)", () => {
    const altered = alter("users", (t) => {
      t.string("email").unique();
      t.unique("email");
    });
    assert.deepEqual(altered.slice(1), [EMAIL_UNIQUE]);
    const created = create("users", (t) => {
      t.string("email").unique().unique();
      t.unique(["email"]);
      t.index("email");
    })[0] as Extract<SchemaCommand, { kind: "createTable" }>;
    assert.deepEqual(created.indexes, [
      { type: "unique", name: "users_email_unique", columns: ["email"] },
      { type: "index", name: "users_email_index", columns: ["email"] },
    ]);
  });

  test("the same name with a different definition is refused, naming the index and both definitions", () => {
    assertInvalid(
      () =>
        alter("users", (t) => {
          t.unique("email", "contact");
          t.index("phone", "contact");
        }),
      /index "contact" on table "users" is declared twice with different definitions: unique \(email\) and index \(phone\)/,
    );
    assertInvalid(() =>
      create("users", (t) => {
        t.string("a").unique("ab");
        t.string("b").unique("ab");
      }),
    );
  });

  test("dropped or renamed in between, the index is asked for again", () => {
    const result = alter("users", (t) => {
      t.unique("email");
      t.dropUnique(["email"]);
      t.unique("email");
      t.renameIndex("users_email_unique", "email_uq");
      t.unique("email");
      t.dropColumn("email");
      t.string("email").unique();
    });
    assert.equal(result.filter((c) => c.kind === "addIndex").length, 4);
  });

  test("a primary key is never merged: refused twice in create, left to the database in alter", () => {
    assertInvalid(
      () =>
        create("users", (t) => {
          t.string("code").primary().primary();
        }),
      /table "users" declares its primary key more than once/,
    );
    const twice = alter("users", (t) => {
      t.string("code").primary().primary();
    });
    assert.deepEqual(
      twice.map((c) => c.kind),
      ["addColumn", "addIndex", "addIndex"],
    );
  });
});

describe("Blueprint: Laravel's positional auto-increment", () => {
  const columnOf = (build: (t: Blueprint) => void) =>
    (create("t", build)[0] as Extract<SchemaCommand, { kind: "createTable" }>).columns[0];
  const key = { autoIncrement: true, primary: true };

  test("integer(name, true) and every size: an auto-increment primary key", () => {
    assert.deepEqual(columnOf((t) => t.integer("id", true)), col("id", "integer", key));
    assert.deepEqual(columnOf((t) => t.bigInteger("id", true, true)), col("id", "bigInteger", { ...key, unsigned: true }));
    assert.deepEqual(columnOf((t) => t.smallInteger("id", true)), col("id", "smallInteger", key));
    assert.deepEqual(columnOf((t) => t.tinyInteger("id", true)), col("id", "tinyInteger", key));
    assert.deepEqual(columnOf((t) => t.mediumInteger("id", true)), col("id", "mediumInteger", key));
  });

  test("unsigned*(name, true) for every size", () => {
    const unsignedKey = { ...key, unsigned: true };
    assert.deepEqual(columnOf((t) => t.unsignedInteger("id", true)), col("id", "integer", unsignedKey));
    assert.deepEqual(columnOf((t) => t.unsignedBigInteger("id", true)), col("id", "bigInteger", unsignedKey));
    assert.deepEqual(columnOf((t) => t.unsignedSmallInteger("id", true)), col("id", "smallInteger", unsignedKey));
    assert.deepEqual(columnOf((t) => t.unsignedTinyInteger("id", true)), col("id", "tinyInteger", unsignedKey));
    assert.deepEqual(columnOf((t) => t.unsignedMediumInteger("id", true)), col("id", "mediumInteger", unsignedKey));
  });

  test("false or absent: a plain column; the third argument makes it unsigned", () => {
    assert.deepEqual(columnOf((t) => t.integer("n")), col("n", "integer"));
    assert.deepEqual(columnOf((t) => t.integer("n", false, true)), col("n", "integer", { unsigned: true }));
    assert.deepEqual(columnOf((t) => t.unsignedBigInteger("n", false)), col("n", "bigInteger", { unsigned: true }));
  });

  test("in alter, integer(name, true) adds an auto-increment primary key column", () => {
    assert.deepEqual(
      alter("t", (t) => {
        t.unsignedBigInteger("id", true);
      }),
      [{ kind: "addColumn", table: "t", column: col("id", "bigInteger", { ...key, unsigned: true }) }],
    );
  });

  test("an old-style display width integer(name, 11) is refused, not taken as autoIncrement", () => {
    assertInvalid(() => create("t", (t) => t.integer("votes", 11 as never)), /integer\("votes", 11\).*autoIncrement, a boolean/);
    assertInvalid(() => create("t", (t) => t.bigInteger("n", false, "yes" as never)), /third argument is unsigned/);
  });

  test("a second auto-increment key, or one plus a primary key, is refused", () => {
    assertInvalid(() =>
      create("t", (t) => {
        t.integer("id", true);
        t.bigInteger("other", true);
      }),
    );
    assertInvalid(() =>
      create("t", (t) => {
        t.integer("id", true);
        t.primary(["id"]);
      }),
    );
  });
});

describe("Blueprint: NUL bytes in values written into DDL", () => {
  test("a default, a raw() default, a comment and an enum value are refused, naming the column and table", () => {
    assertInvalid(() => create("posts", (t) => t.string("title").default("a\0b")), /default of column "title" of table "posts" contains a NUL byte/);
    assertInvalid(() => create("posts", (t) => t.string("title").default(raw("'a'\0"))), /raw\(\) default of column "title" of table "posts"/);
    assertInvalid(() => alter("posts", (t) => t.string("title").comment("x\0")), /comment of column "title" of table "posts" contains a NUL byte/);
    assertInvalid(
      () => create("posts", (t) => t.enum("state", ["draft", "pub\0lished"])),
      /value 2 of enum column "state" of table "posts" contains a NUL byte/,
    );
  });

  test("the same values without a NUL are accepted", () => {
    const table = create("posts", (t) => {
      t.string("title").default("a\\0b").comment("zero: 0");
      t.enum("state", ["draft"]);
    })[0] as Extract<SchemaCommand, { kind: "createTable" }>;
    assert.equal(table.columns[0]?.default, "a\\0b");
  });
});
