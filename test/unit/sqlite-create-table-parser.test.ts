import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  hasKeyword,
  inlineForeignKeyName,
  parseCreateTable,
  parseMortarComment,
  tokenizeSql,
} from "../../src/grammar/sqlite-create-table-parser.js";
import { SqliteGrammar } from "../../src/grammar/sqlite-grammar.js";
import { Blueprint } from "../../src/schema/blueprint.js";

describe("tokenizeSql", () => {
  test("quoted identifiers of every style, with doubled quotes", () => {
    const tokens = tokenizeSql('"a""b" `c``d` [e f] \'g\'\'h\' word_1 $x');
    assert.deepEqual(
      tokens.map((t) => [t.kind, t.value]),
      [
        ["identifier", 'a"b'],
        ["identifier", "c`d"],
        ["identifier", "e f"],
        ["string", "g'h"],
        ["word", "word_1"],
        ["word", "$x"],
      ],
    );
    assert.equal(tokens[0]!.text, '"a""b"');
  });

  test("comments of both kinds keep their text and positions", () => {
    const sql = "a -- line, (\nb /* block, ) */ c";
    const tokens = tokenizeSql(sql);
    assert.deepEqual(
      tokens.map((t) => [t.kind, t.value]),
      [
        ["word", "a"],
        ["comment", " line, ("],
        ["word", "b"],
        ["comment", " block, ) "],
        ["word", "c"],
      ],
    );
    assert.equal(sql.slice(tokens[3]!.start, tokens[3]!.end), "/* block, ) */");
  });

  test("punctuation and non-ASCII words", () => {
    assert.deepEqual(
      tokenizeSql("naïve(1,2);").map((t) => t.value),
      ["naïve", "(", "1", ",", "2", ")", ";"],
    );
  });

  test("unterminated quotes and comments run to the end", () => {
    assert.deepEqual(tokenizeSql(`'abc`).map((t) => [t.kind, t.value]), [["string", "abc"]]);
    assert.deepEqual(tokenizeSql(`"ab""`).map((t) => [t.kind, t.value]), [["identifier", 'ab"']]);
    assert.deepEqual(tokenizeSql(`x /* open`).map((t) => [t.kind, t.value]), [["word", "x"], ["comment", " open"]]);
  });
});

describe("parseMortarComment", () => {
  test("reads the JSON text of a Mortar comment", () => {
    assert.equal(parseMortarComment(' comment: "hello" '), "hello");
    assert.equal(parseMortarComment(String.raw` comment: "a *\/ \"b\" \\ c\nd" `), 'a */ "b" \\ c\nd');
    assert.equal(parseMortarComment(' comment: "" '), "");
  });

  test("other comments are not Mortar comments", () => {
    assert.equal(parseMortarComment(" just a note "), null);
    assert.equal(parseMortarComment(' comment: "broken '), null);
    assert.equal(parseMortarComment(" comment: 42 "), null);
    assert.equal(parseMortarComment(' comment: "a" "b" '), null);
  });
});

describe("parseCreateTable", () => {
  test("a table as Mortar writes it", () => {
    const parsed = parseCreateTable(
      'create table "users" ("id" integer primary key autoincrement not null /* comment: "key" */, ' +
        `"email" varchar(255) not null default 'a, b' /* comment: "the \\"email\\"" */, "n" numeric(8, 2), ` +
        'constraint "users_pkey" primary key ("email"), ' +
        'constraint "users_team_id_foreign" foreign key ("team_id") references "teams" ("id") on delete cascade)',
    );
    assert.equal(parsed.table, "users");
    assert.deepEqual(parsed.columns, [
      { name: "id", definition: '"id" integer primary key autoincrement not null', comment: "key" },
      { name: "email", definition: `"email" varchar(255) not null default 'a, b'`, comment: 'the "email"' },
      { name: "n", definition: '"n" numeric(8, 2)', comment: null },
    ]);
    assert.deepEqual(parsed.constraints, [
      {
        kind: "primary key",
        name: "users_pkey",
        columns: ["email"],
        foreignTable: null,
        foreignColumns: [],
        text: 'constraint "users_pkey" primary key ("email")',
      },
      {
        kind: "foreign key",
        name: "users_team_id_foreign",
        columns: ["team_id"],
        foreignTable: "teams",
        foreignColumns: ["id"],
        text: 'constraint "users_team_id_foreign" foreign key ("team_id") references "teams" ("id") on delete cascade',
      },
    ]);
    assert.equal(parsed.options, "");
  });

  test("commas and parentheses inside names, strings, checks and comments do not split", () => {
    const parsed = parseCreateTable(
      `CREATE TABLE "a,b(""c"")" ("x,y" TEXT DEFAULT ')(,' CHECK ("x,y" IN ('(', ',', ')')), ` +
        `[br,acket] INT /* not, ours ) */ -- still, not (\n, \`back,tick\` REAL DEFAULT (abs(-1) + (2)))`,
    );
    assert.equal(parsed.table, 'a,b("c")');
    assert.deepEqual(
      parsed.columns.map((c) => [c.name, c.definition, c.comment]),
      [
        ["x,y", `"x,y" TEXT DEFAULT ')(,' CHECK ("x,y" IN ('(', ',', ')'))`, null],
        ["br,acket", "[br,acket] INT", null],
        ["back,tick", "`back,tick` REAL DEFAULT (abs(-1) + (2))", null],
      ],
    );
  });

  test("quoted column names that look like constraint keywords are columns", () => {
    const parsed = parseCreateTable('create table t ("primary" int, "constraint" text, "unique" int, "check" int, "foreign" int)');
    assert.deepEqual(
      parsed.columns.map((c) => c.name),
      ["primary", "constraint", "unique", "check", "foreign"],
    );
    assert.deepEqual(parsed.constraints, []);
  });

  test("unnamed and named constraints of every kind, in any case", () => {
    const parsed = parseCreateTable(
      "create table t (a int, b int, c int, " +
        "PRIMARY KEY (a COLLATE nocase DESC, b), UNIQUE (b, c) ON CONFLICT REPLACE, CHECK (a > (0)), " +
        'CONSTRAINT uq UNIQUE ("c"), constraint "ck, 1" check (b in (1, 2)), ' +
        "FOREIGN KEY (a, b) REFERENCES main.parent (x, y) ON UPDATE SET NULL, " +
        "constraint [fk two] foreign key (c) references parent)",
    );
    assert.deepEqual(
      parsed.constraints.map((c) => [c.kind, c.name, c.columns, c.foreignTable, c.foreignColumns]),
      [
        ["primary key", null, ["a", "b"], null, []],
        ["unique", null, ["b", "c"], null, []],
        ["check", null, [], null, []],
        ["unique", "uq", ["c"], null, []],
        ["check", "ck, 1", [], null, []],
        ["foreign key", null, ["a", "b"], "parent", ["x", "y"]],
        ["foreign key", "fk two", ["c"], "parent", []],
      ],
    );
    assert.equal(parsed.constraints[2]!.text, "CHECK (a > (0))");
    assert.equal(parsed.constraints[4]!.text, 'constraint "ck, 1" check (b in (1, 2))');
  });

  test("the comment SQLite keeps after ALTER TABLE ADD COLUMN", () => {
    // Verbatim sqlite_schema text after `alter table "t" add column "c" text /* comment: "zz" */`.
    const parsed = parseCreateTable(
      'CREATE TABLE "t" ("id" integer primary key autoincrement not null /* comment: "x" */, "b" text /* comment: "y" */, ' +
        '"c" text /* comment: "zz" */, "d" text not null default \'q\' /* comment: "dd" */)',
    );
    assert.deepEqual(
      parsed.columns.map((c) => [c.name, c.definition, c.comment]),
      [
        ["id", '"id" integer primary key autoincrement not null', "x"],
        ["b", '"b" text', "y"],
        ["c", '"c" text', "zz"],
        ["d", `"d" text not null default 'q'`, "dd"],
      ],
    );
  });

  test("other comments between columns are ignored", () => {
    const parsed = parseCreateTable('create table t (\n  -- the key\n  id integer, /* note */\n  name text -- trailing, note\n)');
    assert.deepEqual(
      parsed.columns.map((c) => [c.name, c.definition, c.comment]),
      [
        ["id", "id integer", null],
        ["name", "name text", null],
      ],
    );
  });

  test("temp, if not exists, schema-qualified name and table options", () => {
    const parsed = parseCreateTable('CREATE TEMP TABLE IF NOT EXISTS main."my ""t"" "(k text primary key) WITHOUT ROWID, STRICT;');
    assert.equal(parsed.table, 'my "t" ');
    assert.deepEqual(parsed.columns, [{ name: "k", definition: "k text primary key", comment: null }]);
    assert.equal(parsed.options, "WITHOUT ROWID, STRICT");
  });

  test("a column without a type and an unquoted table name touching the parenthesis", () => {
    const parsed = parseCreateTable("create table t(x, y)");
    assert.equal(parsed.table, "t");
    assert.deepEqual(parsed.columns, [
      { name: "x", definition: "x", comment: null },
      { name: "y", definition: "y", comment: null },
    ]);
  });

  test("create table … as select has no column list", () => {
    assert.deepEqual(parseCreateTable("create table t as select 1"), { table: "", columns: [], constraints: [], options: "" });
  });

  test("round trip: every comment the grammar writes comes back exactly", () => {
    const grammar = new SqliteGrammar();
    const comments = ['it\'s "quoted" */ drop table x; /* \\ back\nslash', "*/", "/*", "--", "", "naïve ✓ \u2028 \t"];
    const bp = new Blueprint('we"ird', "create", { maxIdentifierLength: grammar.maxIdentifierLength });
    comments.forEach((comment, i) => bp.string(`c${i}`).nullable().default("x */ y").comment(comment));
    bp.enum("e", ["a, b", "c)"]).comment("enum");
    const [create] = grammar.compile(bp.toCommands());
    const parsed = parseCreateTable(create!.sql);
    assert.equal(parsed.table, 'we"ird');
    assert.deepEqual(
      parsed.columns.map((c) => c.comment),
      [...comments, "enum"],
    );
    assert.equal(parsed.columns[0]!.definition, `"c0" varchar(255) default 'x */ y'`);
    assert.equal(parsed.columns[comments.length]!.definition, `"e" varchar(255) check ("e" in ('a, b', 'c)')) not null`);
  });
});

describe("definition helpers", () => {
  test("hasKeyword looks at words only", () => {
    assert.equal(hasKeyword('"id" integer primary key AUTOINCREMENT', "autoincrement"), true);
    assert.equal(hasKeyword(`"id" integer default 'autoincrement'`, "autoincrement"), false);
    assert.equal(hasKeyword('"autoincrement" integer', "autoincrement"), false);
    assert.equal(hasKeyword('"id" integer /* autoincrement */', "autoincrement"), false);
  });

  test("inlineForeignKeyName reads a named column-level reference", () => {
    assert.equal(inlineForeignKeyName('"team_id" integer constraint "team fk" references "teams" ("id")'), "team fk");
    assert.equal(inlineForeignKeyName('"team_id" integer references "teams" ("id")'), null);
    assert.equal(inlineForeignKeyName('"x" integer constraint nn not null'), null);
  });
});
