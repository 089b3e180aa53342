// The floor: the same DDL Mortar sends, through the same driver, in one process, plus
// one tracking-row write per migration and nothing else. PostgreSQL: one transaction
// per migration. MySQL/MariaDB: no transactions (DDL commits by itself). SQLite: one
// transaction for the whole batch (one writer, one disk sync).
// Usage: node floor.mjs plan.json up|down
import { readFileSync } from "node:fs";

const [planFile, direction] = process.argv.slice(2);
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
    const conn = await mysql.createConnection(connection);
    return { run: (sql, params) => conn.query(sql, params), close: () => conn.end(), p: () => "?" };
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
await db.run(`create table if not exists ${table} (id ${key}, migration varchar(255) not null unique, batch integer not null)`);
if (dialect === "sqlite") await db.run("begin");
for (const migration of migrations) {
  if (dialect === "postgres") await db.run("begin");
  for (const sql of direction === "up" ? migration.up : migration.down) await db.run(sql);
  if (direction === "up") await db.run(`insert into ${table} (migration, batch) values (${db.p(1)}, ${db.p(2)})`, [migration.name, 1]);
  else await db.run(`delete from ${table} where migration = ${db.p(1)}`, [migration.name]);
  if (dialect === "postgres") await db.run("commit");
}
if (dialect === "sqlite") await db.run("commit");
await db.close();
