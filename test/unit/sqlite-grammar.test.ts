import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SqliteGrammar } from "../../src/grammar/sqlite-grammar.js";
import { Blueprint } from "../../src/schema/blueprint.js";
import type { ColumnDefinition } from "../../src/schema/column-definition.js";
import { raw, type SchemaCommand } from "../../src/schema/commands.js";
import { columnSpec } from "../support/column-spec.js";
import { grammarHelpers } from "../support/grammar.js";

const grammar = new SqliteGrammar();

const { blueprint, create, alter, assertRefused } = grammarHelpers(grammar);

/** The definition of the only column of a created table `t`. */
function column(build: (t: Blueprint) => ColumnDefinition | void): string {
  const statements = create((t) => {
    build(t);
  }, "t");
  assert.equal(statements.length, 1, JSON.stringify(statements));
  const match = /^create table "t" \((.*)\)$/s.exec(statements[0]!);
  assert.ok(match, statements[0]);
  return match[1]!;
}

function compileCommand(command: SchemaCommand): { sql: string; parameters: readonly unknown[] }[] {
  return grammar.compile([command]).map((q) => ({ sql: q.sql, parameters: q.parameters }));
}

describe("SqliteGrammar basics", () => {
  test("dialect name, identifier limit and placeholders", () => {
    assert.equal(grammar.dialect, "sqlite");
    assert.equal(grammar.maxIdentifierLength, 1024);
    assert.equal(grammar.parameter(1), "?");
    assert.equal(grammar.parameter(9), "?");
  });

  test("identifiers are double-quoted, doubling embedded double quotes", () => {
    assert.equal(grammar.quoteIdentifier("users"), '"users"');
    assert.equal(grammar.quoteIdentifier('we"ird'), '"we""ird"');
    assert.equal(grammar.quoteIdentifier('""'), '""""""');
    assert.equal(grammar.quoteIdentifier("a`b"), '"a`b"');
  });

  test("string literals double single quotes and leave backslashes alone", () => {
    assert.equal(grammar.quoteString("it's"), "'it''s'");
    assert.equal(grammar.quoteString("'; drop table users; --"), "'''; drop table users; --'");
    assert.equal(grammar.quoteString("a\\b"), "'a\\b'");
  });
});

describe("SqliteGrammar column types", () => {
  const cases: [string, (t: Blueprint) => ColumnDefinition | void, string][] = [
    ["increments", (t) => t.increments("id"), '"id" integer primary key autoincrement not null'],
    ["bigIncrements", (t) => t.bigIncrements("id"), '"id" integer primary key autoincrement not null'],
    ["id", (t) => t.id(), '"id" integer primary key autoincrement not null'],
    ["smallIncrements", (t) => t.smallIncrements("id"), '"id" integer primary key autoincrement not null'],
    ["tinyIncrements", (t) => t.tinyIncrements("id"), '"id" integer primary key autoincrement not null'],
    ["integer", (t) => t.integer("c"), '"c" integer not null'],
    ["bigInteger", (t) => t.bigInteger("c"), '"c" bigint not null'],
    ["smallInteger", (t) => t.smallInteger("c"), '"c" smallint not null'],
    ["tinyInteger", (t) => t.tinyInteger("c"), '"c" tinyint not null'],
    ["mediumInteger", (t) => t.mediumInteger("c"), '"c" mediumint not null'],
    ["unsignedInteger", (t) => t.unsignedInteger("c"), '"c" integer not null'],
    ["unsignedBigInteger", (t) => t.unsignedBigInteger("c"), '"c" bigint not null'],
    ["integer().unsigned()", (t) => t.integer("c").unsigned(), '"c" integer not null'],
    ["decimal default", (t) => t.decimal("c"), '"c" numeric(8, 2) not null'],
    ["decimal(10, 4)", (t) => t.decimal("c", 10, 4), '"c" numeric(10, 4) not null'],
    ["unsignedDecimal", (t) => t.unsignedDecimal("c", 5, 1), '"c" numeric(5, 1) not null'],
    ["float (Laravel 11+: double precision)", (t) => t.float("c"), '"c" double not null'],
    ["float(24)", (t) => t.float("c", 24), '"c" float not null'],
    ["double", (t) => t.double("c"), '"c" double not null'],
    ["boolean", (t) => t.boolean("c"), '"c" boolean not null'],
    ["string", (t) => t.string("c"), '"c" varchar(255) not null'],
    ["string(100)", (t) => t.string("c", 100), '"c" varchar(100) not null'],
    ["char", (t) => t.char("c"), '"c" char(255) not null'],
    ["char(2)", (t) => t.char("c", 2), '"c" char(2) not null'],
    ["text", (t) => t.text("c"), '"c" text not null'],
    ["tinyText", (t) => t.tinyText("c"), '"c" text not null'],
    ["mediumText", (t) => t.mediumText("c"), '"c" text not null'],
    ["longText", (t) => t.longText("c"), '"c" text not null'],
    ["json", (t) => t.json("c"), '"c" text not null'],
    ["jsonb", (t) => t.jsonb("c"), '"c" text not null'],
    ["uuid", (t) => t.uuid("c"), '"c" char(36) not null'],
    ["binary", (t) => t.binary("c"), '"c" blob not null'],
    ["date", (t) => t.date("c"), '"c" date not null'],
    ["time", (t) => t.time("c"), '"c" time not null'],
    ["datetime", (t) => t.datetime("c"), '"c" datetime not null'],
    ["dateTime", (t) => t.dateTime("c"), '"c" datetime not null'],
    ["timestamp", (t) => t.timestamp("c"), '"c" timestamp not null'],
    ["year", (t) => t.year("c"), '"c" integer not null'],
    ["enum", (t) => t.enum("c", ["a", "b"]), `"c" varchar(255) check ("c" in ('a', 'b')) not null`],
    ["inet", (t) => t.inet("c"), '"c" varchar(45) not null'],
    ["cidr", (t) => t.cidr("c"), '"c" varchar(43) not null'],
    ["macAddress", (t) => t.macAddress("c"), '"c" varchar(17) not null'],
    ["foreignId", (t) => t.foreignId("user_id"), '"user_id" bigint not null'],
    ["foreignUuid", (t) => t.foreignUuid("user_id"), '"user_id" char(36) not null'],
    ["softDeletes", (t) => t.softDeletes(), '"deleted_at" timestamp'],
  ];
  for (const [name, build, expected] of cases) {
    test(name, () => assert.equal(column(build), expected));
  }

  test("timestamps", () => {
    assert.equal(
      column((t) => t.timestamps()),
      '"created_at" timestamp, "updated_at" timestamp',
    );
  });

  test("morphs adds two columns and an index", () => {
    assert.deepEqual(
      create((t) => t.morphs("taggable")),
      [
        'create table "users" ("taggable_type" varchar(255) not null, "taggable_id" bigint not null)',
        'create index "users_taggable_type_taggable_id_index" on "users" ("taggable_type", "taggable_id")',
      ],
    );
  });

  test("enum values are escaped and the check names the column quoted", () => {
    assert.equal(
      column((t) => t.enum('st"at', ["it's", "a\\b"])),
      `"st""at" varchar(255) check ("st""at" in ('it''s', 'a\\b')) not null`,
    );
  });

  test("point and geometry are refused", () => {
    assertRefused(() => create((t) => t.point("p")), 'sqlite cannot create the spatial column "p" (point): no spatial types without SpatiaLite');
    assertRefused(
      () => create((t) => t.geometry("g")),
      'sqlite cannot create the spatial column "g" (geometry): no spatial types without SpatiaLite',
    );
  });
});

describe("SqliteGrammar column modifiers", () => {
  test("nullable", () => {
    assert.equal(column((t) => t.string("c").nullable()), '"c" varchar(255)');
    assert.equal(column((t) => t.string("c").nullable(false)), '"c" varchar(255) not null');
  });

  test("defaults of every literal kind", () => {
    assert.equal(column((t) => t.string("c").default("x")), `"c" varchar(255) not null default 'x'`);
    assert.equal(column((t) => t.integer("c").default(0)), '"c" integer not null default 0');
    assert.equal(column((t) => t.integer("c").default(-12)), '"c" integer not null default -12');
    assert.equal(column((t) => t.decimal("c").default(1.5)), '"c" numeric(8, 2) not null default 1.5');
    assert.equal(column((t) => t.bigInteger("c").default(9007199254740993n)), '"c" bigint not null default 9007199254740993');
    assert.equal(column((t) => t.boolean("c").default(true)), '"c" boolean not null default 1');
    assert.equal(column((t) => t.boolean("c").default(false)), '"c" boolean not null default 0');
    assert.equal(column((t) => t.string("c").nullable().default(null)), '"c" varchar(255) default null');
  });

  test("a hostile string default stays one literal", () => {
    assert.equal(
      column((t) => t.string("c").default("'; drop table users; --")),
      `"c" varchar(255) not null default '''; drop table users; --'`,
    );
  });

  test("raw defaults: literals bare, expressions in parentheses", () => {
    assert.equal(column((t) => t.timestamp("c").default(raw("CURRENT_TIMESTAMP"))), '"c" timestamp not null default CURRENT_TIMESTAMP');
    assert.equal(column((t) => t.date("c").default(raw("current_date"))), '"c" date not null default current_date');
    assert.equal(column((t) => t.integer("c").default(raw("-1.5e3"))), '"c" integer not null default -1.5e3');
    assert.equal(column((t) => t.string("c").default(raw("'x'"))), `"c" varchar(255) not null default 'x'`);
    assert.equal(column((t) => t.string("c").default(raw("null"))), '"c" varchar(255) not null default null');
    assert.equal(
      column((t) => t.datetime("c").default(raw("datetime('now')"))),
      `"c" datetime not null default (datetime('now'))`,
    );
    assert.equal(column((t) => t.integer("c").default(raw("(1 + 2)"))), '"c" integer not null default ((1 + 2))');
  });

  test("useCurrent", () => {
    assert.equal(column((t) => t.timestamp("c").useCurrent()), '"c" timestamp not null default CURRENT_TIMESTAMP');
    assert.equal(column((t) => t.datetime("c").nullable().useCurrent()), '"c" datetime default CURRENT_TIMESTAMP');
  });

  test("useCurrentOnUpdate is refused", () => {
    assertRefused(
      () => create((t) => t.timestamp("c").useCurrent().useCurrentOnUpdate()),
      'sqlite cannot use on update CURRENT_TIMESTAMP: set "c" from a trigger or from the application',
    );
  });

  test("unsigned emits nothing", () => {
    assert.equal(column((t) => t.bigInteger("c").unsigned()), '"c" bigint not null');
    assert.equal(column((t) => t.decimal("c").unsigned()), '"c" numeric(8, 2) not null');
  });

  test("comment is an SQL comment holding JSON after the definition", () => {
    assert.equal(column((t) => t.string("c").comment("the name")), '"c" varchar(255) not null /* comment: "the name" */');
    assert.equal(
      column((t) => t.integer("c").nullable().default(3).comment("x")),
      '"c" integer default 3 /* comment: "x" */',
    );
    assert.equal(column((t) => t.increments("id").comment("key")), '"id" integer primary key autoincrement not null /* comment: "key" */');
    assert.equal(column((t) => t.text("c").comment("")), '"c" text not null /* comment: "" */');
  });

  test("comment with */, quotes, backslashes and a newline cannot escape the SQL comment", () => {
    assert.equal(
      column((t) => t.text("c").comment(`it's "quoted" */ drop table x; /* \\ done\nline2`)),
      String.raw`"c" text not null /* comment: "it's \"quoted\" *\/ drop table x; /* \\ done\nline2" */`,
    );
    const comment = `it's "quoted" */ drop table x; /* \\ done\nline2`;
    const json = /\/\* comment: (.*) \*\/$/.exec(grammar.commentClause(comment))![1]!;
    assert.equal(json.includes("*/"), false);
    assert.equal(JSON.parse(json), comment);
  });

  test("fluent unique / index / primary", () => {
    assert.deepEqual(
      create((t) => {
        t.string("email").unique();
        t.string("name").index();
        t.string("slug").unique("custom_slug");
      }),
      [
        'create table "users" ("email" varchar(255) not null, "name" varchar(255) not null, "slug" varchar(255) not null)',
        'create unique index "users_email_unique" on "users" ("email")',
        'create index "users_name_index" on "users" ("name")',
        'create unique index "custom_slug" on "users" ("slug")',
      ],
    );
    assert.deepEqual(create((t) => t.string("code").primary()), [
      'create table "users" ("code" varchar(255) not null, constraint "users_pkey" primary key ("code"))',
    ]);
  });

  test("autoIncrement without primary is refused", () => {
    assertRefused(
      () => grammar.compileColumn(columnSpec({ name: "n", type: "integer", autoIncrement: true })),
      'sqlite cannot auto-increment column "n" unless it is the primary key',
    );
  });

  test("an inline primary column without auto-increment", () => {
    assert.equal(grammar.compileColumn(columnSpec({ name: "k", type: "string", length: 20, primary: true })), '"k" varchar(20) primary key not null');
  });
});

describe("SqliteGrammar createTable", () => {
  test("the blog users table", () => {
    assert.deepEqual(
      create((t) => {
        t.increments("id");
        t.string("name");
        t.string("email").unique();
        t.string("password");
        t.timestamps();
      }),
      [
        'create table "users" ("id" integer primary key autoincrement not null, "name" varchar(255) not null, ' +
          '"email" varchar(255) not null, "password" varchar(255) not null, ' +
          '"created_at" timestamp, "updated_at" timestamp)',
        'create unique index "users_email_unique" on "users" ("email")',
      ],
    );
  });

  test("composite primary key, named primary key", () => {
    assert.deepEqual(
      create((t) => {
        t.integer("post_id");
        t.integer("tag_id");
        t.primary(["post_id", "tag_id"]);
      }, "post_tag"),
      ['create table "post_tag" ("post_id" integer not null, "tag_id" integer not null, constraint "post_tag_pkey" primary key ("post_id", "tag_id"))'],
    );
    assert.deepEqual(
      create((t) => {
        t.string("k");
        t.primary("k", "my key");
      }),
      ['create table "users" ("k" varchar(255) not null, constraint "my key" primary key ("k"))'],
    );
  });

  test("unique, index (single, composite, named) become separate statements", () => {
    assert.deepEqual(
      create((t) => {
        t.string("a");
        t.string("b");
        t.unique(["a", "b"]);
        t.index("b");
        t.index(["a", "b"], "ab_idx");
        t.unique("a", "a_uq");
      }),
      [
        'create table "users" ("a" varchar(255) not null, "b" varchar(255) not null)',
        'create unique index "users_a_b_unique" on "users" ("a", "b")',
        'create index "users_b_index" on "users" ("b")',
        'create index "ab_idx" on "users" ("a", "b")',
        'create unique index "a_uq" on "users" ("a")',
      ],
    );
  });

  test("fulltext is refused", () => {
    assertRefused(
      () =>
        create((t) => {
          t.text("body");
          t.fulltext("body");
        }, "posts"),
      'sqlite cannot create fulltext index "posts_body_fulltext" on table "posts": SQLite has no fulltext indexes; use an FTS5 virtual table through raw SQL',
    );
  });

  test("foreign keys of every form are declared inline", () => {
    assert.deepEqual(
      create((t) => {
        t.increments("id");
        t.integer("user_id").unsigned();
        t.foreign("user_id").references("id").on("users");
        t.foreignId("team_id").constrained().cascadeOnDelete();
        t.foreignId("author_id").constrained("people", "uuid").nullOnDelete().cascadeOnUpdate();
        t.foreignId("editor_id").references("id").on("users").restrictOnDelete().noActionOnUpdate();
        t.integer("a");
        t.integer("b");
        t.foreign(["a", "b"], "pair_fk").references(["x", "y"]).on("pairs").onDelete("set default").onUpdate("restrict");
        t.integer("c");
        t.foreign("c").references("id").inTable("cs").name("named c").noActionOnDelete().nullOnUpdate();
      }, "posts"),
      [
        'create table "posts" ("id" integer primary key autoincrement not null, "user_id" integer not null, ' +
          '"team_id" bigint not null, "author_id" bigint not null, "editor_id" bigint not null, ' +
          '"a" integer not null, "b" integer not null, "c" integer not null, ' +
          'constraint "posts_user_id_foreign" foreign key ("user_id") references "users" ("id"), ' +
          'constraint "posts_team_id_foreign" foreign key ("team_id") references "teams" ("id") on delete cascade, ' +
          'constraint "posts_author_id_foreign" foreign key ("author_id") references "people" ("uuid") on delete set null on update cascade, ' +
          'constraint "posts_editor_id_foreign" foreign key ("editor_id") references "users" ("id") on delete restrict on update no action, ' +
          'constraint "pair_fk" foreign key ("a", "b") references "pairs" ("x", "y") on delete set default on update restrict, ' +
          'constraint "named c" foreign key ("c") references "cs" ("id") on delete no action on update set null)',
      ],
    );
  });

  test("primary key comes before foreign keys", () => {
    assert.deepEqual(
      create((t) => {
        t.integer("post_id");
        t.integer("tag_id");
        t.primary(["post_id", "tag_id"]);
        t.foreign("post_id").references("id").on("posts").onDelete("cascade");
      }, "post_tag"),
      [
        'create table "post_tag" ("post_id" integer not null, "tag_id" integer not null, ' +
          'constraint "post_tag_pkey" primary key ("post_id", "tag_id"), ' +
          'constraint "post_tag_post_id_foreign" foreign key ("post_id") references "posts" ("id") on delete cascade)',
      ],
    );
  });

  test("if not exists", () => {
    assert.deepEqual(
      compileCommand({ kind: "createTable", table: "t", ifNotExists: true, columns: [columnSpec({ name: "a", type: "integer" })], indexes: [], foreignKeys: [] }),
      [{ sql: 'create table if not exists "t" ("a" integer not null)', parameters: [] }],
    );
  });

  test("hostile names are quoted everywhere", () => {
    assert.deepEqual(
      create((t) => {
        t.increments('i"d');
        t.string("a`b").default("'; drop table users; --").unique();
        t.integer('p"id');
        t.foreign('p"id').references('i"d').on('par"ent');
      }, 'we"ird'),
      [
        'create table "we""ird" ("i""d" integer primary key autoincrement not null, ' +
          `"a\`b" varchar(255) not null default '''; drop table users; --', "p""id" integer not null, ` +
          'constraint "we""ird_p""id_foreign" foreign key ("p""id") references "par""ent" ("i""d"))',
        'create unique index "we""ird_a`b_unique" on "we""ird" ("a`b")',
      ],
    );
  });
});

describe("SqliteGrammar table commands", () => {
  test("dropTable", () => {
    assert.deepEqual(compileCommand({ kind: "dropTable", table: 'we"ird', ifExists: false }), [{ sql: 'drop table "we""ird"', parameters: [] }]);
    assert.deepEqual(compileCommand({ kind: "dropTable", table: "users", ifExists: true }), [{ sql: 'drop table if exists "users"', parameters: [] }]);
  });

  test("renameTable", () => {
    assert.deepEqual(compileCommand({ kind: "renameTable", from: "a", to: 'b"c' }), [{ sql: 'alter table "a" rename to "b""c"', parameters: [] }]);
  });

  test("truncateTable deletes rows and resets the sequence with a bound table name", () => {
    assert.deepEqual(compileCommand({ kind: "truncateTable", table: 'we"ird', autoIncrement: true }), [
      { sql: 'delete from "we""ird"', parameters: [] },
      { sql: 'delete from "sqlite_sequence" where "name" = ?', parameters: ['we"ird'] },
    ]);
  });

  test("truncateTable of a table without AUTOINCREMENT leaves sqlite_sequence alone", () => {
    assert.deepEqual(compileCommand({ kind: "truncateTable", table: "plain", autoIncrement: false }), [
      { sql: 'delete from "plain"', parameters: [] },
    ]);
  });

  test("compileDropAll", () => {
    assert.deepEqual(
      grammar.compileDropAll(["a", 'b"c'], ["v1", "v2"]).map((q) => q.sql),
      [
        'drop view if exists "v1"',
        'drop view if exists "v2"',
        "pragma foreign_keys = off",
        'drop table if exists "a"',
        'drop table if exists "b""c"',
        "pragma foreign_keys = on",
      ],
    );
    assert.deepEqual(grammar.compileDropAll(["a"], []).map((q) => q.sql), [
      "pragma foreign_keys = off",
      'drop table if exists "a"',
      "pragma foreign_keys = on",
    ]);
    assert.deepEqual(grammar.compileDropAll([], ["v"]).map((q) => q.sql), ['drop view if exists "v"']);
    assert.deepEqual(grammar.compileDropAll([], []), []);
  });
});

describe("SqliteGrammar alter commands", () => {
  test("addColumn", () => {
    assert.deepEqual(alter((t) => t.string("nickname").nullable()), ['alter table "users" add column "nickname" varchar(255)']);
    assert.deepEqual(alter((t) => t.integer("score").default(0).comment("points")), [
      'alter table "users" add column "score" integer not null default 0 /* comment: "points" */',
    ]);
    assert.deepEqual(alter((t) => t.enum("state", ["on", "off"]).default("on")), [
      `alter table "users" add column "state" varchar(255) check ("state" in ('on', 'off')) not null default 'on'`,
    ]);
    assert.deepEqual(alter((t) => t.string("flagged").nullable().default(null)), ['alter table "users" add column "flagged" varchar(255) default null']);
  });

  test("a unique column is added, then indexed", () => {
    assert.deepEqual(alter((t) => t.string("email").nullable().unique()), [
      'alter table "users" add column "email" varchar(255)',
      'create unique index "users_email_unique" on "users" ("email")',
    ]);
  });

  test("addColumn refusals", () => {
    assertRefused(
      () => alter((t) => t.timestamp("t").nullable().useCurrentOnUpdate()),
      'sqlite cannot use on update CURRENT_TIMESTAMP: set "t" from a trigger or from the application',
    );
    assertRefused(() => alter((t) => t.point("p").nullable()), 'sqlite cannot create the spatial column "p" (point): no spatial types without SpatiaLite');
  });

  test("what ALTER TABLE cannot do is routed to a plan against the live table", () => {
    const routed = (build: (t: Blueprint) => void) =>
      blueprint("users", "alter", build)
        .toCommands()
        .map((c) => grammar.snapshotTable(c) ?? null);
    assert.deepEqual(routed((t) => t.increments("id")), ["users"]);
    assert.deepEqual(routed((t) => t.string("name")), ["users"], "NOT NULL without a default");
    assert.deepEqual(routed((t) => t.string("name").default(null)), ["users"]);
    assert.deepEqual(routed((t) => t.string("name").nullable().after("id")), ["users"]);
    assert.deepEqual(routed((t) => t.string("name").nullable().first()), ["users"]);
    assert.deepEqual(routed((t) => t.timestamp("seen_at").nullable().useCurrent()), ["users"]);
    assert.deepEqual(routed((t) => t.string("name", 50).nullable().change()), ["users"]);
    assert.deepEqual(routed((t) => t.dropColumn("a", "b")), ["users"]);
    assert.deepEqual(routed((t) => t.primary(["a", "b"])), ["users"]);
    assert.deepEqual(routed((t) => t.dropPrimary()), ["users"]);
    assert.deepEqual(routed((t) => t.renameIndex("a", "b")), ["users"]);
    assert.deepEqual(routed((t) => t.foreign("team_id").references("id").on("teams")), ["users"]);
    assert.deepEqual(routed((t) => t.dropForeign(["team_id"])), ["users"]);
    assert.deepEqual(routed((t) => t.string("name").nullable()), [null], "a nullable column is added in place");
    assert.deepEqual(routed((t) => t.renameColumn("a", "b")), [null]);
    assert.deepEqual(routed((t) => t.unique("a")), [null]);
    assert.deepEqual(routed((t) => t.dropIndex("a_idx")), [null]);
  });

  test("compiling a rebuild command without the live table is an internal error, not SQL", () => {
    assert.throws(() => alter((t) => t.string("name", 50).nullable().change()), /compileWithSnapshot/);
  });

  test("renameColumn", () => {
    assert.deepEqual(alter((t) => t.renameColumn("a", 'b"c'), 'we"ird'), ['alter table "we""ird" rename column "a" to "b""c"']);
  });

  test("addIndex: unique and index", () => {
    assert.deepEqual(
      alter((t) => {
        t.unique(["a", "b"]);
        t.index("c", "c_idx");
      }),
      ['create unique index "users_a_b_unique" on "users" ("a", "b")', 'create index "c_idx" on "users" ("c")'],
    );
  });

  test("fulltext is refused", () => {
    assertRefused(
      () => alter((t) => t.fulltext("body")),
      'sqlite cannot create fulltext index "users_body_fulltext" on table "users": SQLite has no fulltext indexes; use an FTS5 virtual table through raw SQL',
    );
    assertRefused(
      () => alter((t) => t.dropFulltext(["body"])),
      'sqlite cannot drop fulltext index "users_body_fulltext" of table "users": SQLite has no fulltext indexes; use an FTS5 virtual table through raw SQL',
    );
  });

  test("dropIndex: unique and index by name or columns", () => {
    assert.deepEqual(
      alter((t) => {
        t.dropUnique(["email"]);
        t.dropUnique("custom_uq");
        t.dropIndex(["a", "b"]);
        t.dropIndex('we"ird_idx');
      }),
      ['drop index "users_email_unique"', 'drop index "custom_uq"', 'drop index "users_a_b_index"', 'drop index "we""ird_idx"'],
    );
  });

  test("commands run in call order", () => {
    assert.deepEqual(
      alter((t) => {
        t.string("x").nullable();
        t.renameColumn("a", "b");
        t.index("x");
      }),
      [
        'alter table "users" add column "x" varchar(255)',
        'alter table "users" rename column "a" to "b"',
        'create index "users_x_index" on "users" ("x")',
      ],
    );
  });
});
