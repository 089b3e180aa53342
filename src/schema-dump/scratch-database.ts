import { randomBytes } from "node:crypto";
import { connect } from "../dialect/connect.js";
import type { Database } from "../dialect/database.js";
import { ConfigError, messageOf } from "../errors.js";

/**
 * Run `fn` on a scratch database of `live`'s dialect, on the same server: SQLite in
 * memory, a new PostgreSQL or MySQL database `mortar_diff_<random>` (which needs the
 * right to create databases). It is dropped afterwards — when `fn` fails, and on
 * Ctrl-C/SIGTERM, where the drop runs before the process exits.
 */
export async function withScratchDatabase<T>(live: Database, fn: (scratch: Database) => Promise<T>): Promise<T> {
  if (live.dialect === "sqlite") {
    const scratch = await connect({ driver: "sqlite", database: ":memory:" });
    try {
      return await fn(scratch);
    } finally {
      await scratch.close();
    }
  }
  const name = `mortar_diff_${randomBytes(6).toString("hex")}`;
  const quoted = live.grammar.quoteIdentifier(name);
  try {
    await live.execute(`create database ${quoted}`);
  } catch (error) {
    throw new ConfigError(
      `schema:diff builds the migrations' schema in a scratch database and could not create one (${messageOf(error)}); ` +
        "grant the user the right to create databases (PostgreSQL CREATEDB, MySQL CREATE), or run it against a development server",
      { cause: error },
    );
  }
  let scratch: Database | undefined;
  let dropped: Promise<void> | undefined;
  const drop = () =>
    (dropped ??= (async () => {
      await scratch?.close().catch(() => undefined);
      await live.execute(live.dialect === "postgres" ? `drop database if exists ${quoted} with (force)` : `drop database if exists ${quoted}`);
    })());
  const onSignal = (signal: NodeJS.Signals) => {
    void drop().finally(() => process.kill(process.pid, signal));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    scratch = await connect({ ...live.config, database: name });
    return await fn(scratch);
  } finally {
    await drop();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
