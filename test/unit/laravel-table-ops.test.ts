import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { InvalidSchemaError } from "../../src/errors.js";
import { MysqlGrammar } from "../../src/grammar/mysql-grammar.js";
import { PostgresGrammar } from "../../src/grammar/postgres-grammar.js";
import { SqliteGrammar } from "../../src/grammar/sqlite-grammar.js";
import type { IndexInfo } from "../../src/schema/live-schema.js";
import { indexMatches } from "../../src/schema/index-match.js";
import { grammarHelpers } from "../support/grammar.js";

// Laravel 12's table-level calls (issue 13): exact SQL per dialect, and the pure index matcher behind hasIndex.

const pg = grammarHelpers(new PostgresGrammar());
const my = grammarHelpers(new MysqlGrammar());
const lite = grammarHelpers(new SqliteGrammar());

describe("dropMorphs", () => {
  test("drops the (type, id) index, then both columns", () => {
    assert.deepEqual(pg.alter((t) => t.dropMorphs("taggable"), "tags"), [
      'drop index "tags_taggable_type_taggable_id_index"',
      'alter table "tags" drop column "taggable_type", drop column "taggable_id"',
    ]);
    assert.deepEqual(my.alter((t) => t.dropMorphs("taggable"), "tags"), [
      "alter table `tags` drop index `tags_taggable_type_taggable_id_index`",
      "alter table `tags` drop `taggable_type`, drop `taggable_id`",
    ]);
  });

  test("takes the index name morphs() was given", () => {
    assert.deepEqual(pg.alter((t) => t.dropMorphs("taggable", "tag_morph"), "tags"), [
      'drop index "tag_morph"',
      'alter table "tags" drop column "taggable_type", drop column "taggable_id"',
    ]);
  });

  test("the index name it drops is the one morphs() created, also when shortened", () => {
    const table = "a_table_with_a_rather_long_name_for_morphs";
    const created = pg.blueprint(table, "create", (t) => t.morphs("commentable")).toCommands()[0]!;
    assert.equal(created.kind, "createTable");
    const indexName = created.kind === "createTable" ? created.indexes[0]!.name : "";
    assert.ok(indexName.length <= 63 && /_[0-9a-f]{8}$/.test(indexName), indexName);
    const dropped = pg.blueprint(table, "alter", (t) => t.dropMorphs("commentable")).toCommands()[0]!;
    assert.deepEqual(dropped, { kind: "dropIndex", table, type: "index", name: indexName });
  });
});

describe("dropConstrainedForeignId", () => {
  test("drops {table}_{col}_foreign, then the column", () => {
    assert.deepEqual(pg.alter((t) => t.dropConstrainedForeignId("user_id"), "posts"), [
      'alter table "posts" drop constraint "posts_user_id_foreign"',
      'alter table "posts" drop column "user_id"',
    ]);
    // MySQL also drops the index the key made for itself (a prepared statement, as dropForeign does).
    const mysql = my.alter((t) => t.dropConstrainedForeignId("user_id"), "posts");
    assert.equal(mysql[0], "alter table `posts` drop foreign key `posts_user_id_foreign`");
    assert.deepEqual(mysql.slice(1, -1), my.alter((t) => t.dropForeign(["user_id"]), "posts").slice(1));
    assert.equal(mysql.at(-1), "alter table `posts` drop `user_id`");
  });

  test("an empty column name is refused before any SQL", () => {
    assert.throws(() => pg.alter((t) => t.dropConstrainedForeignId("")), InvalidSchemaError);
  });
});

describe("dropFullText", () => {
  test("is dropFulltext by another spelling", () => {
    assert.deepEqual(pg.alter((t) => t.dropFullText(["body"]), "posts"), pg.alter((t) => t.dropFulltext(["body"]), "posts"));
    assert.deepEqual(my.alter((t) => t.dropFullText("ft"), "posts"), ["alter table `posts` drop index `ft`"]);
    assert.deepEqual(pg.alter((t) => t.dropFullText(["body"]), "posts"), ['drop index "posts_body_fulltext"']);
  });
});

describe("fullText(...).language(...)", () => {
  test("PostgreSQL writes the language into every to_tsvector", () => {
    assert.deepEqual(
      pg.alter((t) => {
        t.fullText("body").language("german");
        t.fullText(["title", "body"], "search").language("simple");
      }, "posts"),
      [
        `create index "posts_body_fulltext" on "posts" using gin (to_tsvector('german', "body"))`,
        `create index "search" on "posts" using gin ((to_tsvector('simple', "title") || to_tsvector('simple', "body")))`,
      ],
    );
  });

  test("in create too; without language() it stays english", () => {
    const sql = pg.create((t) => {
      t.text("body");
      t.text("title");
      t.fullText("body").language("french");
      t.fulltext("title");
    }, "posts");
    assert.deepEqual(sql.slice(1), [
      `create index "posts_body_fulltext" on "posts" using gin (to_tsvector('french', "body"))`,
      `create index "posts_title_fulltext" on "posts" using gin (to_tsvector('english', "title"))`,
    ]);
  });

  test("the language is an escaped literal, never SQL", () => {
    assert.deepEqual(pg.alter((t) => t.fullText("body").language("x', 'y'); drop table posts; --"), "posts"), [
      `create index "posts_body_fulltext" on "posts" using gin (to_tsvector('x'', ''y''); drop table posts; --', "body"))`,
    ]);
    assert.deepEqual(pg.alter((t) => t.fullText("body").language("a\\'b"), "posts"), [
      `create index "posts_body_fulltext" on "posts" using gin (to_tsvector(E'a\\\\''b', "body"))`,
    ]);
  });

  test("MySQL has no fulltext language: refused, naming the dialect and the index", () => {
    my.assertRefused(
      () => my.alter((t) => t.fullText("body").language("german"), "posts"),
      "mysql cannot give fulltext index \"posts_body_fulltext\" the language 'german': MySQL fulltext indexes have no language " +
        "(the column's collation and the server's stopword settings decide); remove .language() or choose per dialect with this.db.dialect",
    );
    assert.throws(() => my.create((t) => { t.text("body"); t.fullText("body").language("german"); }, "posts"), /mysql cannot give fulltext index/);
  });

  test("SQLite refuses fulltext loudly, with or without a language", () => {
    const hint = "SQLite has no fulltext indexes; use an FTS5 virtual table through raw SQL";
    lite.assertRefused(() => lite.alter((t) => t.fullText("body").language("german"), "posts"), `sqlite cannot create fulltext index "posts_body_fulltext" on table "posts": ${hint}`);
  });

  test("language() is for fulltext only, and needs a name", () => {
    assert.throws(() => pg.alter((t) => t.fullText("body").language("")), /needs a non-empty name/);
    assert.throws(() => pg.alter((t) => t.fullText("body").language("ger\0man")), /NUL byte/);
  });

  test("the same fulltext asked twice with different languages is a mistake", () => {
    assert.throws(
      () => pg.alter((t) => { t.fullText("body").language("german"); t.fullText("body").language("french"); }, "posts"),
      /declared twice with different definitions: fulltext \(body\) language german and fulltext \(body\) language french/,
    );
    assert.equal(pg.alter((t) => { t.fullText("body").language("german"); t.fullText("body").language("german"); }, "posts").length, 1);
  });
});

describe("table.rename(to)", () => {
  test("is the renameTable command of each dialect", () => {
    assert.deepEqual(pg.blueprint("old", "alter", (t) => t.rename("new")).toCommands(), [{ kind: "renameTable", from: "old", to: "new" }]);
    assert.deepEqual(my.alter((t) => t.rename("people"), "users"), ["rename table `users` to `people`"]);
    assert.deepEqual(lite.alter((t) => t.rename("people"), "users"), ['alter table "users" rename to "people"']);
    assert.equal(pg.alter((t) => t.rename("people"), "users")[0], 'alter table "users" rename to "people"');
  });

  test("runs after the calls before it", () => {
    assert.deepEqual(my.alter((t) => { t.string("nick").nullable(); t.rename("people"); }, "users"), [
      "alter table `users` add `nick` varchar(255) null",
      "rename table `users` to `people`",
    ]);
  });

  test("calls after it are refused (they would name the old table), as is rename in create", () => {
    assert.throws(
      () => my.alter((t) => { t.rename("people"); t.string("nick"); }, "users"),
      (e: unknown) => e instanceof InvalidSchemaError && e.message === 'rename("people") must be the last call in schema.table("users"): alter the renamed table in its own schema.table("people", …)',
    );
    assert.throws(() => my.create((t) => { t.increments("id"); t.rename("people"); }, "users"), /rename table is not allowed in schema\.create\("users"\)/);
    assert.throws(() => my.alter((t) => t.rename("")), InvalidSchemaError);
  });
});

describe("hasIndex matching (indexMatches)", () => {
  const info = (name: string, columns: string[], extra: Partial<IndexInfo> = {}): IndexInfo => ({
    name, columns, unique: false, primary: false, type: "btree", ...extra,
  });
  const primary = info("users_pkey", ["id"], { unique: true, primary: true });
  const unique = info("users_email_unique", ["email"], { unique: true });
  const plain = info("users_a_b_index", ["a", "b"]);
  const myFulltext = info("users_bio_fulltext", ["bio"], { type: "fulltext" });
  const pgFulltext = info("users_bio_fulltext", ["to_tsvector('english'::regconfig, bio)"], { type: "gin" });

  test("by name, or by columns in order", () => {
    assert.equal(indexMatches("postgres", unique, "users_email_unique"), true);
    assert.equal(indexMatches("postgres", unique, "users_email"), false);
    assert.equal(indexMatches("postgres", plain, ["a", "b"]), true);
    assert.equal(indexMatches("postgres", plain, ["b", "a"]), false);
    assert.equal(indexMatches("postgres", plain, ["a"]), false);
  });

  test("names fold case on MySQL and SQLite, not on PostgreSQL", () => {
    const myPrimary = info("PRIMARY", ["id"], { unique: true, primary: true });
    assert.equal(indexMatches("mysql", myPrimary, "primary"), true);
    assert.equal(indexMatches("sqlite", unique, "USERS_EMAIL_UNIQUE"), true);
    assert.equal(indexMatches("postgres", unique, "USERS_EMAIL_UNIQUE"), false);
  });

  test("by type: primary, unique (a primary key is unique), index (plain), fulltext, a method", () => {
    assert.equal(indexMatches("postgres", primary, ["id"], "primary"), true);
    assert.equal(indexMatches("postgres", primary, ["id"], "unique"), true);
    assert.equal(indexMatches("postgres", unique, ["email"], "primary"), false);
    assert.equal(indexMatches("postgres", unique, ["email"], "index"), false);
    assert.equal(indexMatches("postgres", plain, ["a", "b"], "index"), true);
    assert.equal(indexMatches("postgres", plain, ["a", "b"], "unique"), false);
    assert.equal(indexMatches("mysql", myFulltext, "users_bio_fulltext", "fulltext"), true);
    assert.equal(indexMatches("mysql", myFulltext, "users_bio_fulltext", "index"), false);
    assert.equal(indexMatches("postgres", pgFulltext, "users_bio_fulltext", "fulltext"), true);
    assert.equal(indexMatches("postgres", pgFulltext, "users_bio_fulltext", "gin"), true);
    assert.equal(indexMatches("postgres", plain, "users_a_b_index", "BTREE"), true);
    assert.equal(indexMatches("postgres", plain, "users_a_b_index", "hash"), false);
  });
});
