// The floor: the same DDL Mortar sends, through the same driver, in one process, plus
// one tracking-row write per migration and nothing else. PostgreSQL: one transaction
// per migration. MySQL/MariaDB: no transactions (DDL commits by itself). SQLite: one
// transaction for the whole batch (one writer, one disk sync).
// Usage: node floor.mjs plan.json up|down [tracked]
//
// `tracked` (MySQL/MariaDB only) adds the bookkeeping Mortar does there because DDL
// cannot roll back: the tracking row is written before the first statement and updated
// before each later one (in the statement's own round trip), and marked done at the end.
// It measures what that safety costs, apart from the rest of Mortar.
import { readFileSync } from "node:fs";

const [planFile, direction, mode] = process.argv.slice(2);
const tracked = mode === "tracked";
const plan = JSON.parse(readFileSync(planFile, "utf8"));
const { dialect, connection } = plan;
const migrations = direction === "up" ? plan.migrations : [...plan.migrations].reverse();

async function open() {
  if (dialect === "postgres") {
    const { default: pg } = await import("pg");
    const client = new pg.Client(connection);
    await client.connect();
    return { run: (sql, params) => client.query(sql, params), close: () => client.end(), p: (i) => `$${i}` };
  }
  if (dialect === "mysql") {
    const mysql = await import("mysql2/promise");
    const conn = await mysql.createConnection({ ...connection, multipleStatements: tracked });
    return { run: (sql, params) => conn.query(sql, params), close: () => conn.end(), p: () => "?", literal: (v) => conn.escape(v) };
  }
  const { default: Sqlite } = await import("better-sqlite3");
  const db = new Sqlite(connection.filename);
  db.pragma("foreign_keys = ON");
  return {
    run: async (sql, params = []) => {
      db.prepare(sql).run(...params);
    },
    close: async () => db.close(),
    p: () => "?",
  };
}

const db = await open();
const table = dialect === "mysql" ? "`floor_migrations`" : '"floor_migrations"';
const key = dialect === "postgres" ? "serial primary key" : dialect === "mysql" ? "int auto_increment primary key" : "integer primary key autoincrement";
if (tracked && dialect !== "mysql") throw new Error("tracked is for MySQL/MariaDB only");
const trackingColumns = tracked ? ", status varchar(16) not null default 'ran', statements text null" : "";
await db.run(`create table if not exists ${table} (id ${key}, migration varchar(255) not null unique, batch integer not null${trackingColumns})`);
if (dialect === "sqlite") await db.run("begin");
for (const migration of migrations) {
  if (dialect === "postgres") await db.run("begin");
  const statements = direction === "up" ? migration.up : migration.down;
  if (tracked) {
    const name = db.literal(migration.name);
    for (let i = 0; i < statements.length; i++) {
      const list = db.literal(JSON.stringify(statements.slice(0, i + 1)));
      const record =
        i === 0 && direction === "up"
          ? `insert into ${table} (migration, batch, status, statements) values (${name}, 1, 'running', ${list})`
          : `update ${table} set ${i === 0 ? "status = 'running', " : ""}statements = ${list} where migration = ${name}`;
      await db.run(`${record};\n${statements[i]}`);
    }
    if (direction === "up") await db.run(`update ${table} set status = 'ran', statements = null where migration = ?`, [migration.name]);
    else await db.run(`delete from ${table} where migration = ?`, [migration.name]);
    continue;
  }
  for (const sql of statements) await db.run(sql);
  if (direction === "up") await db.run(`insert into ${table} (migration, batch) values (${db.p(1)}, ${db.p(2)})`, [migration.name, 1]);
  else await db.run(`delete from ${table} where migration = ${db.p(1)}`, [migration.name]);
  if (dialect === "postgres") await db.run("commit");
}
if (dialect === "sqlite") await db.run("commit");
await db.close();
