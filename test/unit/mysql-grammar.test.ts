import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { ForeignKeyInfo, IndexInfo, LiveTable } from "../../src/dialect/dialect.js";
import { MysqlGrammar } from "../../src/grammar/mysql-grammar.js";
import { Blueprint } from "../../src/schema/blueprint.js";
import type { ColumnDefinition } from "../../src/schema/column-definition.js";
import { raw, type SchemaCommand } from "../../src/schema/commands.js";
import { grammarHelpers } from "../support/grammar.js";

const grammar = new MysqlGrammar();
const { blueprint, create, alter, compileSql: compileCommand, assertRefused } = grammarHelpers(grammar);
const TABLE_OPTIONS = " default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB";

/** The SQL of one column added to `users`, without the `alter table … add ` prefix. */
function column(build: (t: Blueprint) => ColumnDefinition | void): string {
  const statements = alter((t) => {
    build(t);
  });
  assert.equal(statements.length, 1, `expected one statement, got ${JSON.stringify(statements)}`);
  const prefix = "alter table `users` add ";
  assert.ok(statements[0]!.startsWith(prefix), statements[0]);
  return statements[0]!.slice(prefix.length);
}

/** What `dropForeign` compiles to: the key, then its implicit index when the server made one. */
function dropForeignSql(table: string, name: string): string[] {
  const dropIndex = `alter table ${grammar.quoteIdentifier(table)} drop index ${grammar.quoteIdentifier(name)}`;
  return [
    `alter table ${grammar.quoteIdentifier(table)} drop foreign key ${grammar.quoteIdentifier(name)}`,
    `set @mortar_drop_fk_index = (select if(count(*) > 0, ${grammar.quoteString(dropIndex)}, 'do 0') from information_schema.statistics ` +
      `where table_schema = database() and table_name = ${grammar.quoteString(table)} and index_name = ${grammar.quoteString(name)})`,
    "prepare mortar_drop_fk_index from @mortar_drop_fk_index",
    "execute mortar_drop_fk_index",
    "deallocate prepare mortar_drop_fk_index",
  ];
}

describe("MysqlGrammar basics", () => {
  test("dialect name, identifier limit and placeholders", () => {
    assert.equal(grammar.dialect, "mysql");
    assert.equal(grammar.maxIdentifierLength, 64);
    assert.equal(grammar.parameter(1), "?");
    assert.equal(grammar.parameter(7), "?");
  });

  test("identifiers are quoted with backticks, doubling embedded backticks", () => {
    assert.equal(grammar.quoteIdentifier("users"), "`users`");
    assert.equal(grammar.quoteIdentifier("a`b"), "`a``b`");
    assert.equal(grammar.quoteIdentifier('we"ird'), '`we"ird`');
    assert.equal(grammar.quoteIdentifier("``"), "``````");
  });

  test("string literals double quotes and backslashes", () => {
    assert.equal(grammar.quoteString("plain"), "'plain'");
    assert.equal(grammar.quoteString("it's"), "'it''s'");
    assert.equal(grammar.quoteString("C:\\path\\"), "'C:\\\\path\\\\'");
    assert.equal(grammar.quoteString("\\'"), "'\\\\'''");
    assert.equal(grammar.quoteString("'; drop table users; --"), "'''; drop table users; --'");
    assert.equal(grammar.quoteString("a\0b"), "'a\\0b'");
  });

  test("literal() spells booleans as 1/0 and passes raw expressions through", () => {
    assert.equal(grammar.literal(true), "1");
    assert.equal(grammar.literal(false), "0");
    assert.equal(grammar.literal(null), "null");
    assert.equal(grammar.literal(12.5), "12.5");
    assert.equal(grammar.literal(10n), "10");
    assert.equal(grammar.literal(raw("(uuid())")), "(uuid())");
  });
});

describe("MysqlGrammar column types", () => {
  const cases: [string, (t: Blueprint) => ColumnDefinition | void, string][] = [
    ["increments", (t) => t.increments("id"), "`id` int unsigned not null auto_increment primary key"],
    ["bigIncrements", (t) => t.bigIncrements("id"), "`id` bigint unsigned not null auto_increment primary key"],
    ["id", (t) => t.id(), "`id` bigint unsigned not null auto_increment primary key"],
    ["id with a name", (t) => t.id("key"), "`key` bigint unsigned not null auto_increment primary key"],
    ["smallIncrements", (t) => t.smallIncrements("id"), "`id` smallint unsigned not null auto_increment primary key"],
    ["tinyIncrements", (t) => t.tinyIncrements("id"), "`id` tinyint unsigned not null auto_increment primary key"],
    ["integer", (t) => t.integer("votes"), "`votes` int not null"],
    ["bigInteger", (t) => t.bigInteger("votes"), "`votes` bigint not null"],
    ["smallInteger", (t) => t.smallInteger("votes"), "`votes` smallint not null"],
    ["tinyInteger", (t) => t.tinyInteger("votes"), "`votes` tinyint not null"],
    ["mediumInteger", (t) => t.mediumInteger("votes"), "`votes` mediumint not null"],
    ["unsignedInteger", (t) => t.unsignedInteger("votes"), "`votes` int unsigned not null"],
    ["unsignedBigInteger", (t) => t.unsignedBigInteger("votes"), "`votes` bigint unsigned not null"],
    ["integer().unsigned()", (t) => t.integer("votes").unsigned(), "`votes` int unsigned not null"],
    ["smallInteger().unsigned()", (t) => t.smallInteger("votes").unsigned(), "`votes` smallint unsigned not null"],
    ["tinyInteger().unsigned()", (t) => t.tinyInteger("votes").unsigned(), "`votes` tinyint unsigned not null"],
    ["mediumInteger().unsigned()", (t) => t.mediumInteger("votes").unsigned(), "`votes` mediumint unsigned not null"],
    ["decimal default precision", (t) => t.decimal("amount"), "`amount` decimal(8, 2) not null"],
    ["decimal(10, 3)", (t) => t.decimal("amount", 10, 3), "`amount` decimal(10, 3) not null"],
    ["decimal(5, 0)", (t) => t.decimal("amount", 5, 0), "`amount` decimal(5, 0) not null"],
    ["unsignedDecimal", (t) => t.unsignedDecimal("amount"), "`amount` decimal(8, 2) unsigned not null"],
    ["float (Laravel 11+: double precision)", (t) => t.float("ratio"), "`ratio` double not null"],
    ["float(24).unsigned()", (t) => t.float("ratio", 24).unsigned(), "`ratio` float unsigned not null"],
    ["double", (t) => t.double("ratio"), "`ratio` double not null"],
    ["double().unsigned()", (t) => t.double("ratio").unsigned(), "`ratio` double unsigned not null"],
    ["boolean", (t) => t.boolean("active"), "`active` tinyint(1) not null"],
    ["string", (t) => t.string("name"), "`name` varchar(255) not null"],
    ["string(100)", (t) => t.string("name", 100), "`name` varchar(100) not null"],
    ["char", (t) => t.char("code"), "`code` char(255) not null"],
    ["char(2)", (t) => t.char("code", 2), "`code` char(2) not null"],
    ["text", (t) => t.text("body"), "`body` text not null"],
    ["tinyText", (t) => t.tinyText("body"), "`body` tinytext not null"],
    ["mediumText", (t) => t.mediumText("body"), "`body` mediumtext not null"],
    ["longText", (t) => t.longText("body"), "`body` longtext not null"],
    ["json", (t) => t.json("data"), "`data` json not null"],
    ["jsonb", (t) => t.jsonb("data"), "`data` json not null"],
    ["uuid", (t) => t.uuid("key"), "`key` char(36) not null"],
    ["binary", (t) => t.binary("blob"), "`blob` blob not null"],
    ["date", (t) => t.date("day"), "`day` date not null"],
    ["time", (t) => t.time("at"), "`at` time not null"],
    ["datetime", (t) => t.datetime("at"), "`at` datetime not null"],
    ["dateTime", (t) => t.dateTime("at"), "`at` datetime not null"],
    ["timestamp", (t) => t.timestamp("at"), "`at` timestamp not null"],
    ["year", (t) => t.year("born"), "`born` year not null"],
    ["enum", (t) => t.enum("status", ["draft", "published"]), "`status` enum('draft', 'published') not null"],
    ["enum with quotes", (t) => t.enum("mood", ["it's", "a\\b"]), "`mood` enum('it''s', 'a\\\\b') not null"],
    ["inet", (t) => t.inet("ip"), "`ip` varchar(45) not null"],
    ["cidr", (t) => t.cidr("net"), "`net` varchar(43) not null"],
    ["macAddress", (t) => t.macAddress("mac"), "`mac` varchar(17) not null"],
    ["point", (t) => t.point("where"), "`where` point not null"],
    ["geometry", (t) => t.geometry("shape"), "`shape` geometry not null"],
    ["foreignId", (t) => t.foreignId("user_id"), "`user_id` bigint unsigned not null"],
    ["foreignUuid", (t) => t.foreignUuid("user_id"), "`user_id` char(36) not null"],
    ["softDeletes", (t) => t.softDeletes(), "`deleted_at` timestamp null"],
    ["softDeletes with a name", (t) => t.softDeletes("removed_at"), "`removed_at` timestamp null"],
  ];
  for (const [name, build, expected] of cases) {
    test(name, () => assert.equal(column(build), expected));
  }

  test("unsigned is only written on numeric types", () => {
    assert.equal(column((t) => t.string("name").unsigned()), "`name` varchar(255) not null");
    assert.equal(column((t) => t.boolean("ok").unsigned()), "`ok` tinyint(1) not null");
    assert.equal(column((t) => t.year("y").unsigned()), "`y` year not null");
  });

  test("timestamps() adds two nullable timestamps without a default", () => {
    assert.deepEqual(alter((t) => t.timestamps()), [
      "alter table `users` add `created_at` timestamp null",
      "alter table `users` add `updated_at` timestamp null",
    ]);
  });

  test("morphs() adds type and id columns with an index over both", () => {
    assert.deepEqual(alter((t) => t.morphs("taggable")), [
      "alter table `users` add `taggable_type` varchar(255) not null",
      "alter table `users` add `taggable_id` bigint unsigned not null",
      "alter table `users` add index `users_taggable_type_taggable_id_index` (`taggable_type`, `taggable_id`)",
    ]);
  });
});

describe("MysqlGrammar column modifiers", () => {
  test("nullable", () => {
    assert.equal(column((t) => t.string("name").nullable()), "`name` varchar(255) null");
    assert.equal(column((t) => t.string("name").nullable(false)), "`name` varchar(255) not null");
  });

  test("defaults of every literal kind", () => {
    assert.equal(column((t) => t.string("name").default("guest")), "`name` varchar(255) not null default 'guest'");
    assert.equal(column((t) => t.integer("votes").default(0)), "`votes` int not null default 0");
    assert.equal(column((t) => t.decimal("amount").default(1.5)), "`amount` decimal(8, 2) not null default 1.5");
    assert.equal(column((t) => t.integer("votes").default(-3)), "`votes` int not null default -3");
    assert.equal(column((t) => t.bigInteger("big").default(9007199254740993n)), "`big` bigint not null default 9007199254740993");
    assert.equal(column((t) => t.boolean("active").default(true)), "`active` tinyint(1) not null default 1");
    assert.equal(column((t) => t.boolean("active").default(false)), "`active` tinyint(1) not null default 0");
    assert.equal(column((t) => t.string("name").nullable().default(null)), "`name` varchar(255) null default null");
    assert.equal(column((t) => t.string("name").default("")), "`name` varchar(255) not null default ''");
    assert.equal(
      column((t) => t.datetime("at").default(raw("CURRENT_TIMESTAMP"))),
      "`at` datetime not null default CURRENT_TIMESTAMP",
    );
    assert.equal(column((t) => t.enum("status", ["a", "b"]).default("b")), "`status` enum('a', 'b') not null default 'b'");
  });

  test("useCurrent and useCurrentOnUpdate", () => {
    assert.equal(column((t) => t.timestamp("at").useCurrent()), "`at` timestamp not null default CURRENT_TIMESTAMP");
    assert.equal(
      column((t) => t.timestamp("at").useCurrent().useCurrentOnUpdate()),
      "`at` timestamp not null default CURRENT_TIMESTAMP on update CURRENT_TIMESTAMP",
    );
    assert.equal(
      column((t) => t.datetime("at").nullable().useCurrentOnUpdate()),
      "`at` datetime null on update CURRENT_TIMESTAMP",
    );
  });

  test("comment", () => {
    assert.equal(column((t) => t.string("name").comment("the name")), "`name` varchar(255) not null comment 'the name'");
    assert.equal(column((t) => t.string("name").comment("")), "`name` varchar(255) not null comment ''");
    assert.equal(
      column((t) => t.increments("id").comment("key")),
      "`id` int unsigned not null auto_increment primary key comment 'key'",
    );
  });

  test("first and after on addColumn", () => {
    assert.equal(column((t) => t.string("name").first()), "`name` varchar(255) not null first");
    assert.equal(column((t) => t.string("name").after("email")), "`name` varchar(255) not null after `email`");
    assert.equal(column((t) => t.string("name").after("we`ird")), "`name` varchar(255) not null after `we``ird`");
  });

  test("all modifiers in MySQL's order", () => {
    assert.equal(
      column((t) => t.unsignedDecimal("price", 10, 2).nullable().default(0).comment("in cents").after("name")),
      "`price` decimal(10, 2) unsigned null default 0 comment 'in cents' after `name`",
    );
  });

  test("fluent unique, index and primary become separate addIndex statements when altering", () => {
    assert.deepEqual(
      alter((t) => {
        t.string("email").unique();
        t.string("slug").index("slug_idx");
      }),
      [
        "alter table `users` add `email` varchar(255) not null",
        "alter table `users` add unique `users_email_unique` (`email`)",
        "alter table `users` add `slug` varchar(255) not null",
        "alter table `users` add index `slug_idx` (`slug`)",
      ],
    );
  });
});

describe("MysqlGrammar create table", () => {
  test("columns with an inline auto-increment key", () => {
    assert.deepEqual(
      create((t) => {
        t.increments("id");
        t.string("email");
      }),
      ["create table `users` (`id` int unsigned not null auto_increment primary key, `email` varchar(255) not null)" + TABLE_OPTIONS],
    );
  });

  test("table-level primary key, named or not (MySQL always calls it PRIMARY)", () => {
    assert.deepEqual(
      create((t) => {
        t.integer("user_id");
        t.integer("role_id");
        t.primary(["user_id", "role_id"]);
      }, "role_user"),
      ["create table `role_user` (`user_id` int not null, `role_id` int not null, primary key (`user_id`, `role_id`))" + TABLE_OPTIONS],
    );
    assert.deepEqual(
      create((t) => {
        t.string("code").primary();
      }, "codes"),
      ["create table `codes` (`code` varchar(255) not null, primary key (`code`))" + TABLE_OPTIONS],
    );
    assert.deepEqual(
      create((t) => {
        t.string("code");
        t.primary("code", "codes_key");
      }, "codes"),
      ["create table `codes` (`code` varchar(255) not null, primary key (`code`))" + TABLE_OPTIONS],
    );
  });

  test("unique, index and fulltext indexes are declared inline, fluent ones first", () => {
    assert.deepEqual(
      create((t) => {
        t.id();
        t.string("email").unique();
        t.string("name").index();
        t.text("bio");
        t.text("notes");
        t.unique(["name", "email"], "name_email");
        t.index("bio", "bio_idx");
        t.fulltext(["bio", "notes"]);
        t.fullText("notes", "notes_ft");
      }),
      [
        "create table `users` (`id` bigint unsigned not null auto_increment primary key, `email` varchar(255) not null, " +
          "`name` varchar(255) not null, `bio` text not null, `notes` text not null, " +
          "unique `users_email_unique` (`email`), index `users_name_index` (`name`), unique `name_email` (`name`, `email`), " +
          "index `bio_idx` (`bio`), fulltext `users_bio_notes_fulltext` (`bio`, `notes`), fulltext `notes_ft` (`notes`))" +
          TABLE_OPTIONS,
      ],
    );
  });

  test("order: columns, primary key, indexes, foreign keys", () => {
    assert.deepEqual(
      create((t) => {
        t.foreignId("user_id").constrained().cascadeOnDelete();
        t.integer("post_id");
        t.primary(["user_id", "post_id"]);
        t.index("post_id");
      }, "likes"),
      [
        "create table `likes` (`user_id` bigint unsigned not null, `post_id` int not null, primary key (`user_id`, `post_id`), " +
          "index `likes_post_id_index` (`post_id`), " +
          "constraint `likes_user_id_foreign` foreign key (`user_id`) references `users` (`id`) on delete cascade)" +
          TABLE_OPTIONS,
      ],
    );
  });

  test("if not exists", () => {
    assert.deepEqual(
      compileCommand({
        kind: "createTable",
        table: "users",
        ifNotExists: true,
        columns: blueprint("users", "create", (t) => t.id()).toCommands().flatMap((c) => (c.kind === "createTable" ? c.columns : [])),
        indexes: [],
        foreignKeys: [],
      }),
      ["create table if not exists `users` (`id` bigint unsigned not null auto_increment primary key)" + TABLE_OPTIONS],
    );
  });

  test("first()/after() inside create table are refused, not dropped", () => {
    assertRefused(
      () => create((t) => t.string("name").first()),
      'mysql cannot place column "name" with first()/after() in create table: columns are created in the order they are declared',
    );
    assertRefused(
      () => create((t) => t.string("name").after("id")),
      'mysql cannot place column "name" with first()/after() in create table: columns are created in the order they are declared',
    );
  });

  test("first() together with after() is refused", () => {
    assertRefused(
      () => alter((t) => t.string("name").first().after("id")),
      'mysql cannot place column "name" both first() and after("id")',
    );
  });
});

describe("MysqlGrammar foreign keys", () => {
  const fk = (build: (t: Blueprint) => void): string[] => alter(build, "posts");

  test("foreign().references().on() without actions", () => {
    assert.deepEqual(
      fk((t) => t.foreign("user_id").references("id").on("users")),
      ["alter table `posts` add constraint `posts_user_id_foreign` foreign key (`user_id`) references `users` (`id`)"],
    );
  });

  test("every referential action, as given, lower case", () => {
    const actions = ["cascade", "restrict", "set null", "set default", "no action"] as const;
    for (const action of actions) {
      assert.deepEqual(
        fk((t) => t.foreign("user_id").references("id").on("users").onDelete(action).onUpdate(action)),
        [
          "alter table `posts` add constraint `posts_user_id_foreign` foreign key (`user_id`) references `users` (`id`)" +
            ` on delete ${action} on update ${action}`,
        ],
      );
    }
  });

  test("shorthand action helpers", () => {
    const base = "alter table `posts` add constraint `posts_user_id_foreign` foreign key (`user_id`) references `users` (`id`)";
    const on = (build: (d: ReturnType<Blueprint["foreign"]>) => void) =>
      fk((t) => build(t.foreign("user_id").references("id").on("users")))[0];
    assert.equal(on((d) => d.cascadeOnDelete()), `${base} on delete cascade`);
    assert.equal(on((d) => d.restrictOnDelete()), `${base} on delete restrict`);
    assert.equal(on((d) => d.nullOnDelete()), `${base} on delete set null`);
    assert.equal(on((d) => d.noActionOnDelete()), `${base} on delete no action`);
    assert.equal(on((d) => d.cascadeOnUpdate()), `${base} on update cascade`);
    assert.equal(on((d) => d.restrictOnUpdate()), `${base} on update restrict`);
    assert.equal(on((d) => d.nullOnUpdate()), `${base} on update set null`);
    assert.equal(on((d) => d.noActionOnUpdate()), `${base} on update no action`);
    assert.equal(on((d) => d.onDelete("SET_NULL")), `${base} on delete set null`);
  });

  test("composite, named, and inTable()", () => {
    assert.deepEqual(
      fk((t) => t.foreign(["a", "b"], "posts_ab").references(["x", "y"]).inTable("pairs").onDelete("cascade")),
      ["alter table `posts` add constraint `posts_ab` foreign key (`a`, `b`) references `pairs` (`x`, `y`) on delete cascade"],
    );
    assert.deepEqual(
      fk((t) => t.foreign("user_id").references("id").on("users").name("author")),
      ["alter table `posts` add constraint `author` foreign key (`user_id`) references `users` (`id`)"],
    );
  });

  test("foreignId().constrained() adds the column then the key", () => {
    assert.deepEqual(
      fk((t) => t.foreignId("category_id").constrained().nullOnDelete()),
      [
        "alter table `posts` add `category_id` bigint unsigned not null",
        "alter table `posts` add constraint `posts_category_id_foreign` foreign key (`category_id`) references `categories` (`id`) on delete set null",
      ],
    );
    assert.deepEqual(
      fk((t) => t.foreignUuid("author_id").constrained("authors", "uuid")),
      [
        "alter table `posts` add `author_id` char(36) not null",
        "alter table `posts` add constraint `posts_author_id_foreign` foreign key (`author_id`) references `authors` (`uuid`)",
      ],
    );
    assert.deepEqual(
      fk((t) => t.foreignId("owner_id").references("id").on("people")),
      [
        "alter table `posts` add `owner_id` bigint unsigned not null",
        "alter table `posts` add constraint `posts_owner_id_foreign` foreign key (`owner_id`) references `people` (`id`)",
      ],
    );
  });

  test("dropForeign by name and by columns also drops the index MySQL made for the key, if there is one", () => {
    assert.deepEqual(fk((t) => t.dropForeign("author")), dropForeignSql("posts", "author"));
    assert.deepEqual(fk((t) => t.dropForeign(["user_id"])), dropForeignSql("posts", "posts_user_id_foreign"));
  });

  test("dropForeign spelled out: the index is dropped through a prepared statement only when it exists", () => {
    assert.deepEqual(fk((t) => t.dropForeign(["user_id"])), [
      "alter table `posts` drop foreign key `posts_user_id_foreign`",
      "set @mortar_drop_fk_index = (select if(count(*) > 0, 'alter table `posts` drop index `posts_user_id_foreign`', 'do 0') " +
        "from information_schema.statistics where table_schema = database() and table_name = 'posts' " +
        "and index_name = 'posts_user_id_foreign')",
      "prepare mortar_drop_fk_index from @mortar_drop_fk_index",
      "execute mortar_drop_fk_index",
      "deallocate prepare mortar_drop_fk_index",
    ]);
  });

  test("dropForeign on names with quotes and backticks keeps both levels of quoting intact", () => {
    const [, set] = alter((t) => t.dropForeign("it's `k`"), "we'ird`t");
    assert.equal(
      set,
      "set @mortar_drop_fk_index = (select if(count(*) > 0, 'alter table `we''ird``t` drop index `it''s ``k```', 'do 0') " +
        "from information_schema.statistics where table_schema = database() and table_name = 'we''ird`t' " +
        "and index_name = 'it''s `k`')",
    );
  });
});

describe("MysqlGrammar commands", () => {
  test("dropTable", () => {
    assert.deepEqual(compileCommand({ kind: "dropTable", table: "users", ifExists: false }), ["drop table `users`"]);
    assert.deepEqual(compileCommand({ kind: "dropTable", table: "users", ifExists: true }), ["drop table if exists `users`"]);
  });

  test("renameTable", () => {
    assert.deepEqual(compileCommand({ kind: "renameTable", from: "users", to: "people" }), ["rename table `users` to `people`"]);
  });

  test("truncateTable", () => {
    assert.deepEqual(compileCommand({ kind: "truncateTable", table: "users", autoIncrement: true }), ["truncate table `users`"]);
  });

  test("changeColumn restates the whole column with modify", () => {
    assert.deepEqual(
      alter((t) => t.string("name", 100).nullable().default("x").comment("c").change()),
      ["alter table `users` modify `name` varchar(100) null default 'x' comment 'c'"],
    );
    assert.deepEqual(alter((t) => t.integer("votes").change()), ["alter table `users` modify `votes` int not null"]);
    assert.deepEqual(
      alter((t) => t.string("name").after("email").change()),
      ["alter table `users` modify `name` varchar(255) not null after `email`"],
    );
    assert.deepEqual(alter((t) => t.string("name").first().change()), ["alter table `users` modify `name` varchar(255) not null first"]);
  });

  test("changeColumn of an auto-increment key does not declare a second primary key", () => {
    assert.deepEqual(alter((t) => t.bigIncrements("id").change()), ["alter table `users` modify `id` bigint unsigned not null auto_increment"]);
  });

  test("renameColumn", () => {
    assert.deepEqual(alter((t) => t.renameColumn("name", "full_name")), ["alter table `users` rename column `name` to `full_name`"]);
  });

  test("dropColumns, dropTimestamps, dropSoftDeletes", () => {
    assert.deepEqual(alter((t) => t.dropColumn("a")), ["alter table `users` drop `a`"]);
    assert.deepEqual(alter((t) => t.dropColumn("a", "b")), ["alter table `users` drop `a`, drop `b`"]);
    assert.deepEqual(alter((t) => t.dropColumn(["a", "b"], "c")), ["alter table `users` drop `a`, drop `b`, drop `c`"]);
    assert.deepEqual(alter((t) => t.dropTimestamps()), ["alter table `users` drop `created_at`, drop `updated_at`"]);
    assert.deepEqual(alter((t) => t.dropSoftDeletes()), ["alter table `users` drop `deleted_at`"]);
  });

  test("addIndex of every type", () => {
    assert.deepEqual(alter((t) => t.primary(["a", "b"])), ["alter table `users` add primary key (`a`, `b`)"]);
    assert.deepEqual(alter((t) => t.unique("email")), ["alter table `users` add unique `users_email_unique` (`email`)"]);
    assert.deepEqual(alter((t) => t.unique(["a", "b"], "ab")), ["alter table `users` add unique `ab` (`a`, `b`)"]);
    assert.deepEqual(alter((t) => t.index(["a", "b"])), ["alter table `users` add index `users_a_b_index` (`a`, `b`)"]);
    assert.deepEqual(alter((t) => t.fulltext("bio")), ["alter table `users` add fulltext `users_bio_fulltext` (`bio`)"]);
    assert.deepEqual(alter((t) => t.fullText(["bio", "notes"], "ft")), ["alter table `users` add fulltext `ft` (`bio`, `notes`)"]);
  });

  test("dropIndex of every type", () => {
    assert.deepEqual(alter((t) => t.dropPrimary()), ["alter table `users` drop primary key"]);
    assert.deepEqual(alter((t) => t.dropPrimary("anything")), ["alter table `users` drop primary key"]);
    assert.deepEqual(alter((t) => t.dropUnique("ab")), ["alter table `users` drop index `ab`"]);
    assert.deepEqual(alter((t) => t.dropUnique(["email"])), ["alter table `users` drop index `users_email_unique`"]);
    assert.deepEqual(alter((t) => t.dropIndex(["a", "b"])), ["alter table `users` drop index `users_a_b_index`"]);
    assert.deepEqual(alter((t) => t.dropIndex("idx")), ["alter table `users` drop index `idx`"]);
    assert.deepEqual(alter((t) => t.dropFulltext(["bio"])), ["alter table `users` drop index `users_bio_fulltext`"]);
  });

  test("renameIndex", () => {
    assert.deepEqual(alter((t) => t.renameIndex("old", "new")), ["alter table `users` rename index `old` to `new`"]);
  });

  test("commands keep call order when altering", () => {
    assert.deepEqual(
      alter((t) => {
        t.string("nick").nullable();
        t.dropColumn("legacy");
        t.renameColumn("a", "b");
        t.index("nick");
      }),
      [
        "alter table `users` add `nick` varchar(255) null",
        "alter table `users` drop `legacy`",
        "alter table `users` rename column `a` to `b`",
        "alter table `users` add index `users_nick_index` (`nick`)",
      ],
    );
  });

  test("compileDropAll", () => {
    assert.deepEqual(
      grammar.compileDropAll(["a", "b`c"], ["v1", "v2"]).map((q) => q.sql),
      [
        "set foreign_key_checks = 0",
        "drop view if exists `v1`, `v2`",
        "drop table if exists `a`, `b``c`",
        "set foreign_key_checks = 1",
      ],
    );
    assert.deepEqual(grammar.compileDropAll(["a"], []).map((q) => q.sql), [
      "set foreign_key_checks = 0",
      "drop table if exists `a`",
      "set foreign_key_checks = 1",
    ]);
    assert.deepEqual(grammar.compileDropAll([], ["v"]).map((q) => q.sql), [
      "set foreign_key_checks = 0",
      "drop view if exists `v`",
      "set foreign_key_checks = 1",
    ]);
    assert.deepEqual(grammar.compileDropAll([], []), []);
  });

  test("no statement carries bound parameters", () => {
    const queries = grammar.compile(
      blueprint("users", "alter", (t) => {
        t.string("name").default("x?");
        t.dropColumn("a");
      }).toCommands(),
    );
    for (const q of queries) assert.deepEqual(q.parameters, []);
  });
});

describe("MysqlGrammar escaping", () => {
  test("identifiers with backticks and quotes everywhere", () => {
    assert.deepEqual(
      create((t) => {
        t.string("a`b").unique();
        t.foreign("a`b").references("x`y").on("p`q");
      }, 'we"ird`t'),
      [
        'create table `we"ird``t` (`a``b` varchar(255) not null, unique `we"ird``t_a``b_unique` (`a``b`), ' +
          'constraint `we"ird``t_a``b_foreign` foreign key (`a``b`) references `p``q` (`x``y`))' +
          TABLE_OPTIONS,
      ],
    );
    assert.deepEqual(alter((t) => t.renameColumn("a`b", "c`d"), "t`t"), ["alter table `t``t` rename column `a``b` to `c``d`"]);
    assert.deepEqual(compileCommand({ kind: "renameTable", from: "a`", to: "`b" }), ["rename table `a``` to ```b`"]);
  });

  test("a default that tries to end the statement stays one literal", () => {
    assert.equal(
      column((t) => t.string("name").default("'; drop table users; --")),
      "`name` varchar(255) not null default '''; drop table users; --'",
    );
  });

  test("backslashes in defaults and comments are doubled", () => {
    assert.equal(column((t) => t.string("path").default("C:\\temp\\")), "`path` varchar(255) not null default 'C:\\\\temp\\\\'");
    assert.equal(column((t) => t.string("q").default("\\'")), "`q` varchar(255) not null default '\\\\'''");
  });

  test("comments with quotes, backslashes and comment markers", () => {
    assert.equal(
      column((t) => t.string("name").comment(`it's "quoted" \\ and */ -- #`)),
      "`name` varchar(255) not null comment 'it''s \"quoted\" \\\\ and */ -- #'",
    );
  });
});

describe("MysqlGrammar long default names", () => {
  const longTable = "a_really_long_table_name_for_testing_identifier_limits";
  const longColumns = ["first_extremely_long_column_name", "second_extremely_long_column_name"];

  test("default index and foreign key names are shortened to at most 64 bytes, deterministically", () => {
    const build = (t: Blueprint) => {
      t.unique(longColumns);
      t.index(longColumns);
      t.foreign(longColumns).references(["a", "b"]).on("others");
    };
    const first = alter(build, longTable);
    const second = alter(build, longTable);
    assert.deepEqual(first, second);
    const names = first.map((sql) => /(?:unique|index|constraint) `([^`]+)`/.exec(sql)![1]!);
    assert.equal(names.length, 3);
    for (const name of names) {
      assert.ok(Buffer.byteLength(name) <= 64, `${name} is ${Buffer.byteLength(name)} bytes`);
      assert.match(name, /^a_really_long_table_name_for_testing_identifier_limits_.*_[0-9a-f]{8}$/);
    }
    assert.equal(new Set(names).size, 3, "unique, index and foreign names differ");
  });

  test("dropping by columns finds the same shortened name", () => {
    const added = alter((t) => t.unique(longColumns), longTable)[0]!;
    const name = /unique `([^`]+)`/.exec(added)![1]!;
    assert.deepEqual(alter((t) => t.dropUnique(longColumns), longTable), [`alter table \`${longTable}\` drop index \`${name}\``]);
    const fkAdded = alter((t) => t.foreign(longColumns).references(["a", "b"]).on("o"), longTable)[0]!;
    const fkName = /constraint `([^`]+)`/.exec(fkAdded)![1]!;
    assert.deepEqual(alter((t) => t.dropForeign(longColumns), longTable), dropForeignSql(longTable, fkName));
  });

  test("multibyte names are measured in bytes", () => {
    // A 60-byte column name fits; its default index name (76 bytes) must be shortened.
    const statement = alter((t) => t.index(["éééééééééééééééééééééééééééééé"]), "tableau")[0]!;
    const name = /index `([^`]+)`/.exec(statement)![1]!;
    assert.ok(Buffer.byteLength(name) <= 64, `${name} is ${Buffer.byteLength(name)} bytes`);
  });

  test("a name that fits is kept as is", () => {
    assert.deepEqual(alter((t) => t.index("email")), ["alter table `users` add index `users_email_index` (`email`)"]);
  });
});

describe("MysqlGrammar against the live table (items 6, 12)", () => {
  const index = (name: string, columns: string[], type = "btree"): IndexInfo => ({
    name,
    columns,
    unique: false,
    primary: name === "PRIMARY",
    type,
  });
  const userKey: ForeignKeyInfo = {
    name: "posts_user_id_foreign",
    columns: ["user_id"],
    foreignTable: "users",
    foreignColumns: ["id"],
    onDelete: "restrict",
    onUpdate: "restrict",
  };
  const live = (overrides: Partial<LiveTable>): LiveTable => ({
    table: "posts",
    columns: [],
    indexes: [index("PRIMARY", ["id"])],
    foreignKeys: [userKey],
    checks: [],
    ...overrides,
  });
  const compileLive = (build: (t: Blueprint) => void, table: LiveTable): string[] =>
    blueprint("posts", "alter", build)
      .toCommands()
      .flatMap((c) => grammar.compileAgainstLive(c, table))
      .map((q) => q.sql);

  test("changeColumn and dropIndex need the live table; nothing else does", () => {
    assert.equal(grammar.liveTable({ kind: "dropIndex", table: "posts", type: "index", name: "x" }), "posts");
    assert.equal(grammar.liveTable({ kind: "renameIndex", table: "posts", from: "a", to: "b" }), undefined);
  });

  test("dropping the only index a foreign key can use adds the key's own index back in the same statement", () => {
    const table = live({ indexes: [index("PRIMARY", ["id"]), index("posts_user_id_created_at_index", ["user_id", "created_at"])] });
    assert.deepEqual(compileLive((t) => t.dropIndex(["user_id", "created_at"]), table), [
      "alter table `posts` drop index `posts_user_id_created_at_index`, add index `posts_user_id_foreign` (`user_id`)",
    ]);
  });

  test("no index is added when another index serves the key, or the dropped one does not", () => {
    const served = live({ indexes: [index("a", ["user_id", "x"]), index("b", ["user_id", "y"])] });
    assert.deepEqual(compileLive((t) => t.dropIndex("b"), served), ["alter table `posts` drop index `b`"]);
    const unrelated = live({ indexes: [index("posts_user_id_foreign", ["user_id"]), index("c", ["created_at", "user_id"])] });
    assert.deepEqual(compileLive((t) => t.dropIndex("c"), unrelated), ["alter table `posts` drop index `c`"]);
    const fulltextOnly = live({ indexes: [index("d", ["user_id", "z"]), index("ft", ["user_id"], "fulltext")] });
    assert.deepEqual(compileLive((t) => t.dropIndex("d"), fulltextOnly), [
      "alter table `posts` drop index `d`, add index `posts_user_id_foreign` (`user_id`)",
    ]);
  });

  test("dropping a primary key a foreign key leans on keeps an index for the key", () => {
    const pivot = live({ indexes: [index("PRIMARY", ["user_id", "tag_id"])] });
    assert.deepEqual(compileLive((t) => t.dropPrimary(), pivot), [
      "alter table `posts` drop primary key, add index `posts_user_id_foreign` (`user_id`)",
    ]);
  });

  test("changeColumn restates MariaDB's column-level check, but not json_valid, which the json type brings", () => {
    const table = live({
      checks: [
        { name: "qty", columns: ["qty"], expression: "`qty` > 0", columnLevel: true },
        { name: "body", columns: ["body"], expression: "json_valid(`body`)", columnLevel: true },
        { name: "CONSTRAINT_1", columns: [], expression: "`qty` < 100", columnLevel: false },
      ],
    });
    assert.deepEqual(compileLive((t) => t.bigInteger("qty").comment("n").after("id").change(), table), [
      "alter table `posts` modify `qty` bigint not null comment 'n' check (`qty` > 0) after `id`",
    ]);
    assert.deepEqual(compileLive((t) => t.json("body").nullable().change(), table), ["alter table `posts` modify `body` json null"]);
  });

  test("without a live table (pretending past a create) the commands compile alone", () => {
    const command: SchemaCommand = { kind: "dropIndex", table: "posts", type: "index", name: "b" };
    assert.deepEqual(grammar.compileAgainstLive(command, undefined).map((q) => q.sql), ["alter table `posts` drop index `b`"]);
  });
});
