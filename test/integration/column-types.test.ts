import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Blueprint } from "../../src/schema/blueprint.js";
import { raw } from "../../src/schema/commands.js";
import type { DialectName } from "../../src/dialect/dialect.js";
import { DIALECTS, withDatabase } from "../support/databases.js";

/**
 * Every column type of spec §3, created on the real server and read back through the
 * introspector: the full type the database reports, per dialect (the README's table).
 */
const TYPES: [string, (t: Blueprint) => void, Record<DialectName, string>][] = [
  ["increments", (t) => t.increments("c"), { sqlite: "integer", postgres: "integer", mysql: "int unsigned" }],
  ["integer", (t) => t.integer("c"), { sqlite: "integer", postgres: "integer", mysql: "int" }],
  ["bigInteger", (t) => t.bigInteger("c"), { sqlite: "bigint", postgres: "bigint", mysql: "bigint" }],
  ["smallInteger", (t) => t.smallInteger("c"), { sqlite: "smallint", postgres: "smallint", mysql: "smallint" }],
  ["tinyInteger", (t) => t.tinyInteger("c"), { sqlite: "tinyint", postgres: "smallint", mysql: "tinyint" }],
  ["mediumInteger", (t) => t.mediumInteger("c"), { sqlite: "mediumint", postgres: "integer", mysql: "mediumint" }],
  ["unsignedInteger", (t) => t.unsignedInteger("c"), { sqlite: "integer", postgres: "integer", mysql: "int unsigned" }],
  ["unsignedBigInteger", (t) => t.unsignedBigInteger("c"), { sqlite: "bigint", postgres: "bigint", mysql: "bigint unsigned" }],
  ["decimal", (t) => t.decimal("c", 10, 3), { sqlite: "numeric(10, 3)", postgres: "numeric(10,3)", mysql: "decimal(10,3)" }],
  ["unsignedDecimal", (t) => t.unsignedDecimal("c"), { sqlite: "numeric(8, 2)", postgres: "numeric(8,2)", mysql: "decimal(8,2) unsigned" }],
  // Laravel 11+: float() is float(53), double precision; float(24) or less is single.
  ["float", (t) => t.float("c"), { sqlite: "double", postgres: "double precision", mysql: "double" }],
  ["float24", (t) => t.float("c", 24), { sqlite: "float", postgres: "real", mysql: "float" }],
  ["double", (t) => t.double("c"), { sqlite: "double", postgres: "double precision", mysql: "double" }],
  ["boolean", (t) => t.boolean("c"), { sqlite: "boolean", postgres: "boolean", mysql: "tinyint(1)" }],
  ["string", (t) => t.string("c", 100), { sqlite: "varchar(100)", postgres: "character varying(100)", mysql: "varchar(100)" }],
  ["char", (t) => t.char("c", 5), { sqlite: "char(5)", postgres: "character(5)", mysql: "char(5)" }],
  ["text", (t) => t.text("c"), { sqlite: "text", postgres: "text", mysql: "text" }],
  ["tinyText", (t) => t.tinyText("c"), { sqlite: "text", postgres: "text", mysql: "tinytext" }],
  ["mediumText", (t) => t.mediumText("c"), { sqlite: "text", postgres: "text", mysql: "mediumtext" }],
  ["longText", (t) => t.longText("c"), { sqlite: "text", postgres: "text", mysql: "longtext" }],
  ["json", (t) => t.json("c"), { sqlite: "text", postgres: "json", mysql: "json" }],
  ["jsonb", (t) => t.jsonb("c"), { sqlite: "text", postgres: "jsonb", mysql: "json" }],
  ["uuid", (t) => t.uuid("c"), { sqlite: "char(36)", postgres: "uuid", mysql: "char(36)" }],
  ["binary", (t) => t.binary("c"), { sqlite: "blob", postgres: "bytea", mysql: "blob" }],
  ["date", (t) => t.date("c"), { sqlite: "date", postgres: "date", mysql: "date" }],
  ["time", (t) => t.time("c"), { sqlite: "time", postgres: "time without time zone", mysql: "time" }],
  ["datetime", (t) => t.datetime("c"), { sqlite: "datetime", postgres: "timestamp without time zone", mysql: "datetime" }],
  ["timestamp", (t) => t.timestamp("c"), { sqlite: "timestamp", postgres: "timestamp with time zone", mysql: "timestamp" }],
  ["year", (t) => t.year("c"), { sqlite: "integer", postgres: "integer", mysql: "year" }],
  ["enum", (t) => t.enum("c", ["draft", "published"]), { sqlite: "varchar(255)", postgres: "character varying(255)", mysql: "enum('draft','published')" }],
  ["inet", (t) => t.inet("c"), { sqlite: "varchar(45)", postgres: "inet", mysql: "varchar(45)" }],
  ["cidr", (t) => t.cidr("c"), { sqlite: "varchar(43)", postgres: "cidr", mysql: "varchar(43)" }],
  ["macAddress", (t) => t.macAddress("c"), { sqlite: "varchar(17)", postgres: "macaddr", mysql: "varchar(17)" }],
  ["foreignId", (t) => t.foreignId("c"), { sqlite: "bigint", postgres: "bigint", mysql: "bigint unsigned" }],
  ["foreignUuid", (t) => t.foreignUuid("c"), { sqlite: "char(36)", postgres: "uuid", mysql: "char(36)" }],
];

for (const dialect of DIALECTS) {
  describe(`column types on ${dialect}`, () => {
    test("every type is created and read back with the documented SQL type", async () => {
      await withDatabase(dialect, async (db) => {
        for (const [name, define, expected] of TYPES) {
          await db.schema.create(`t_${name}`, (t) => define(t));
          const [column] = await db.schema.getColumns(`t_${name}`);
          assert.equal(column?.type, expected[dialect], `${name} on ${dialect}`);
          assert.equal(column?.nullable, false, `${name} is NOT NULL by default`);
        }
      });
    });

    test("auto-increment keys, timestamps, softDeletes, morphs and id", async () => {
      await withDatabase(dialect, async (db) => {
        await db.schema.create("things", (t) => {
          t.id();
          t.morphs("owner");
          t.timestamps();
          t.softDeletes();
        });
        const columns = await db.schema.getColumns("things");
        assert.deepEqual(
          columns.map((c) => [c.name, c.nullable, c.autoIncrement]),
          [
            ["id", false, true],
            ["owner_type", false, false],
            ["owner_id", false, false],
            ["created_at", true, false],
            ["updated_at", true, false],
            ["deleted_at", true, false],
          ],
        );
        assert.equal(columns.find((c) => c.name === "created_at")!.default, null);
        const indexes = await db.schema.getIndexes("things");
        const morph = indexes.find((i) => i.name === "things_owner_type_owner_id_index");
        assert.deepEqual(morph?.columns, ["owner_type", "owner_id"]);
        assert.ok(indexes.some((i) => i.primary && i.columns.join() === "id"));
        await db.execute("insert into things (owner_type, owner_id) values ('post', 1)");
        await db.execute("insert into things (owner_type, owner_id) values ('post', 2)");
        const rows = await db.query<{ id: number }>("select id from things order by id");
        assert.deepEqual(rows.map((r) => Number(r.id)), [1, 2]);
      });
    });

    test("modifiers: nullable, defaults of every kind, useCurrent, comment", async () => {
      await withDatabase(dialect, async (db) => {
        await db.schema.create("mods", (t) => {
          t.increments("id");
          t.string("maybe").nullable();
          t.integer("count").default(7);
          t.boolean("active").default(true);
          t.string("label").default("it's");
          t.decimal("price", 8, 2).default(1.5);
          t.timestamp("seen_at").useCurrent();
          t.string("raw_default").default(raw("'from raw'"));
          t.string("noted").nullable().comment(`quotes ' and " and \\ backslash`);
        });
        await db.execute("insert into mods (maybe) values (null)");
        const [row] = await db.query<Record<string, unknown>>("select * from mods");
        assert.equal(row!.maybe, null);
        assert.equal(Number(row!.count), 7);
        assert.equal(Number(row!.active === true ? 1 : row!.active), 1);
        assert.equal(row!.label, "it's");
        assert.equal(Number(row!.price), 1.5);
        assert.ok(row!.seen_at, "useCurrent filled the timestamp");
        assert.equal(row!.raw_default, "from raw");
        const columns = await db.schema.getColumns("mods");
        const noted = columns.find((c) => c.name === "noted")!;
        assert.equal(noted.comment, `quotes ' and " and \\ backslash`);
        assert.equal(noted.nullable, true);
        assert.equal(columns.find((c) => c.name === "label")!.nullable, false);
      });
    });

    test("enum values are enforced", async () => {
      await withDatabase(dialect, async (db) => {
        await db.schema.create("posts", (t) => {
          t.increments("id");
          t.enum("state", ["draft", "published"]).default("draft");
        });
        await db.execute("insert into posts (state) values ('published')");
        await assert.rejects(db.execute("insert into posts (state) values ('deleted')"));
      });
    });
  });
}
