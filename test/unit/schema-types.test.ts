import assert from "node:assert/strict";
import { describe, test } from "node:test";
import mermaid from "mermaid";
import type { ColumnInfo } from "../../src/schema/live-schema.js";
import { inListValues } from "../../src/schema-types/enum-values.js";
import { interfaceNames, pascalCase, propertyKey } from "../../src/schema-types/names.js";
import { renderErd } from "../../src/schema-types/render-erd.js";
import { renderTypes } from "../../src/schema-types/render-types.js";
import type { ModelColumn, ModelTable, SchemaModel } from "../../src/schema-types/schema-model.js";
import { columnTsType } from "../../src/schema-types/typescript-types.js";

/** Pure parts of schema:types and schema:erd, on hand-built schemas. */

function column(name: string, type: string, extra: Partial<ColumnInfo & { enumValues: string[] }> = {}): ModelColumn {
  return {
    name,
    typeName: type.split("(")[0]!.split(" ")[0]!,
    type,
    nullable: false,
    default: null,
    autoIncrement: false,
    comment: null,
    enumValues: null,
    ...extra,
  };
}

function table(name: string, columns: ModelColumn[], extra: Partial<ModelTable> = {}): ModelTable {
  return { name, kind: "table", columns, primaryKey: [], uniqueKeys: [], foreignKeys: [], ...extra };
}

describe("names", () => {
  test("PascalCase of the table name as it is; digits first get a prefix", () => {
    assert.equal(pascalCase("blog_posts"), "BlogPosts");
    assert.equal(pascalCase("user-roles"), "UserRoles");
    assert.equal(pascalCase("2fa codes"), "T2faCodes");
    assert.equal(pascalCase("día"), "Día");
    assert.equal(pascalCase("___"), "Table");
  });

  test("clashes with each other, with helper types and with TypeScript's own names are renamed", () => {
    const names = interfaceNames(["user_roles", "userRoles", "database", "string", "timestamp"], new Set(["Database", "Timestamp"]));
    assert.deepEqual([...names.values()], ["UserRoles", "UserRolesTable", "DatabaseTable", "StringTable", "TimestampTable"]);
  });

  test("keys are bare identifiers or quoted strings", () => {
    assert.equal(propertyKey("created_at"), "created_at");
    assert.equal(propertyKey("display name"), '"display name"');
    assert.equal(propertyKey("2fa"), '"2fa"');
    assert.equal(propertyKey('say "hi"'), '"say \\"hi\\""');
  });
});

describe("SQLite enum checks", () => {
  test("the in-list Mortar writes gives its values; anything else gives null", () => {
    assert.deepEqual(inListValues(`("status" in ('draft', 'it''s'))`, "status"), ["draft", "it's"]);
    assert.deepEqual(inListValues(`(Status IN ('a'))`, "status"), ["a"]);
    assert.equal(inListValues(`("status" in ('a', 1))`, "status"), null);
    assert.equal(inListValues(`("other" in ('a'))`, "status"), null);
    assert.equal(inListValues(`("status" not in ('a'))`, "status"), null);
    assert.equal(inListValues(`(length("status") > 2)`, "status"), null);
  });
});

describe("type mapping", () => {
  test("SQLite types follow SQLite's affinity rules", () => {
    const ts = (type: string) => columnTsType(column("c", type), "sqlite").expression;
    assert.deepEqual(
      ["integer", "bigint", "boolean", "numeric(8, 2)", "double", "varchar(255)", "datetime", "date", "blob", "", "char(36)"].map(ts),
      ["number", "number", "number", "number", "number", "string", "string", "string", "Buffer", "unknown", "string"],
    );
  });

  test("PostgreSQL arrays are arrays of the element's read type", () => {
    const ts = (typeName: string) => columnTsType({ ...column("c", "x"), typeName }, "postgres").expression;
    assert.equal(ts("_int8"), "string[]");
    assert.equal(ts("_timestamptz"), "Date[]");
    assert.equal(ts("_text"), "string[]");
    assert.equal(ts("citext"), "string");
  });
});

describe("renderTypes", () => {
  const model: SchemaModel = {
    dialect: "postgres",
    tables: [
      table("blog_posts", [
        column("id", "bigint", { typeName: "int8", autoIncrement: true }),
        column("meta", "jsonb", { nullable: true }),
        column("state", "character varying(255)", { typeName: "varchar", default: "'a'::character varying", enumValues: ["a", 'b"c'] }),
        column("note */ here", "text", { nullable: true, comment: "ends */ early\nand wraps" }),
      ]),
      { ...table("recent", [column("id", "bigint", { typeName: "int8", nullable: true })]), kind: "view" },
    ],
  };

  test("Generated, | null, enums as unions, quoted keys, comments that cannot close early, views", () => {
    const text = renderTypes(model);
    assert.match(text, /^export interface BlogPosts \{\n  id: Generated<Int8>;\n  meta: Json \| null;\n  state: Generated<"a" \| "b\\"c">;\n  \/\*\* ends \*\\\/ early and wraps \*\/\n  "note \*\/ here": string \| null;\n\}$/m);
    assert.match(text, /^\/\*\* The view "recent"\. \*\/\nexport interface Recent \{\n  id: Int8 \| null;\n\}$/m);
    assert.match(text, /^export interface Database \{\n  blog_posts: BlogPosts;\n  recent: Recent;\n\}\n$/m);
    assert.match(text, /^export type Json = ColumnType<unknown, string, string>;$/m);
    assert.doesNotMatch(text, /Timestamp|Numeric|Flag|JsonValue/, "only the helpers used are defined");
  });

  test("json: JsonValue defines the type; any other setting is used as written", () => {
    assert.match(renderTypes(model, { json: "JsonValue" }), /^export type JsonValue = string \| number \| boolean \| null \| JsonValue\[\] \| \{ \[key: string\]: JsonValue \};$/m);
    const custom = renderTypes(model, { json: 'import("./json").Settings' });
    assert.match(custom, /^export type Json = ColumnType<import\("\.\/json"\)\.Settings, string, string>;$/m);
    assert.doesNotMatch(custom, /JsonValue/);
  });

  test("the same model gives the same bytes", () => {
    assert.equal(renderTypes(model), renderTypes(structuredClone(model)));
  });
});

describe("renderErd", () => {
  test("names and types are fitted to Mermaid's grammar and the real name is kept in the comment", async () => {
    const text = renderErd({
      dialect: "postgres",
      tables: [
        table(
          "end",
          [
            column("pk", "integer", { typeName: "int4" }),
            column("2nd value", "numeric(8, 2)", { typeName: "numeric", comment: 'say "hi"' }),
            column("at", "timestamp(0) with time zone", { typeName: "timestamptz" }),
            column("kind", "character varying(255)", { typeName: "varchar", enumValues: ["a", "b"] }),
          ],
          { primaryKey: ["pk"] },
        ),
      ],
    });
    assert.equal(
      text,
      [
        "erDiagram",
        '    "end" {',
        '        integer pk_ PK "column pk"',
        `        numeric(8,2) _2nd_value "column 2nd value; say 'hi'"`,
        "        timestamptz(0) at",
        '        enum kind "one of: a, b"',
        "    }",
        "",
      ].join("\n"),
    );
    assert.ok(await mermaid.parse(text), "Mermaid's own parser takes it");
  });

  test("views are left out; a composite key that holds the foreign key is still one-to-many", () => {
    const text = renderErd({
      dialect: "sqlite",
      tables: [
        table("a", [column("id", "integer")], { primaryKey: ["id"] }),
        table("b", [column("a_id", "integer"), column("k", "integer")], {
          primaryKey: ["a_id", "k"],
          foreignKeys: [{ name: "b_a_id_foreign", columns: ["a_id"], foreignTable: "a", foreignColumns: ["id"], onDelete: "cascade", onUpdate: "no action" }],
        }),
        { ...table("v", [column("x", "integer")]), kind: "view" },
      ],
    });
    assert.match(text, /^ {8}integer a_id PK, FK$/m);
    assert.match(text, /^ {4}"a" \|\|--o\{ "b" : "b_a_id_foreign"$/m);
    assert.doesNotMatch(text, /"v"/);
  });
});
