import { EventEmitter } from "node:events";
import { MortarError, QueryError } from "../errors.js";
import type { CompiledQuery, Grammar } from "../grammar/grammar.js";
import type { DialectName } from "../schema/live-schema.js";
import type { SchemaChange } from "../schema/schema-change.js";
import type { SafeSchemaContext } from "../schema/safe-session.js";
import { SchemaBuilder } from "../schema/schema-builder.js";
import type { ConnectionConfig, Dialect, Driver, Introspector, Queryable, StatementHooks } from "./dialect.js";

export interface ExecuteResult {
  readonly affectedRows: number;
  readonly insertId?: number | bigint | string;
}

/** A statement that ran (or, when pretending, would have run). */
export interface StatementEvent {
  readonly sql: string;
  readonly parameters: readonly unknown[];
  readonly pretend: boolean;
}

/** A transaction (depth 0) or savepoint (deeper) opened, committed or rolled back. */
export interface TransactionEvent {
  readonly phase: "begin" | "commit" | "rollback";
  readonly depth: number;
}

interface DatabaseEvents {
  statement: [StatementEvent];
  transaction: [TransactionEvent];
  /** What a schema change (or raw SQL) did: the run strategy's input for its checks. */
  change: [SchemaChange];
}

const RAW_SQL: SchemaChange = { kind: "rawSql" };

/**
 * One physical connection to one database, with the grammar and introspector of its
 * dialect. Because a Database never pools, every statement of a migration run — the
 * lock, the transaction, the tracking rows — is pinned to the same session.
 *
 * @example
 * const db = await connect({ driver: "sqlite", database: ":memory:" });
 * await db.schema.create("users", (t) => { t.increments("id"); t.string("email").unique(); });
 * await db.close();
 */
// Database is also the SchemaSession the schema builder and the RunSession a run strategy
// work through; those are checked where it is passed as one, not in an implements clause,
// whose internal members stripInternal would leave missing from the published typings.
export class Database extends EventEmitter<DatabaseEvents> implements Queryable {
  readonly #driver: Driver;
  readonly #dialect: Dialect;
  readonly introspector: Introspector;
  readonly schema: SchemaBuilder;
  /** The settings this connection was opened with (names the database in messages and locks). */
  readonly config: ConnectionConfig;
  #transactionDepth = 0;
  /** A BEGIN not sent yet: it goes out with the transaction's first statement. */
  #pendingBegin: string | undefined;
  /** Bookkeeping that goes out with the transaction's COMMIT. */
  #commitWrite: string | undefined;
  #pretending = false;
  #closed = false;
  /** The run strategy's bookkeeping around each statement, for the length of one migration. */
  #statementHooks: StatementHooks | undefined;
  #statementRetry: ((error: unknown, attempt: number) => Promise<boolean>) | undefined;
  /** @internal Set by a safe run (`--safe`) for the length of one migration. */
  safeExecution: SafeSchemaContext | undefined;

  constructor(dialect: Dialect, driver: Driver, config: ConnectionConfig = { driver: dialect.name }) {
    super();
    this.config = config;
    this.#dialect = dialect;
    this.#driver = driver;
    // The introspector reads through the driver directly: reads stay real while pretending.
    this.introspector = dialect.createIntrospector({
      query: <T>(sql: string, params?: readonly unknown[]) => this.read<T>(sql, params ?? []),
    });
    this.schema = new SchemaBuilder(this);
  }

  get dialect(): DialectName {
    return this.#dialect.name;
  }

  get grammar(): Grammar {
    return this.#dialect.grammar;
  }

  /** @internal the dialect factory (capabilities, session statements). */
  get dialectFactory(): Dialect {
    return this.#dialect;
  }

  /** @internal The server session announced at connect (see `Driver.announcedSessionId`). */
  get announcedSessionId(): number | undefined {
    return this.#driver.announcedSessionId;
  }

  get inTransaction(): boolean {
    return this.#transactionDepth > 0;
  }

  get pretending(): boolean {
    return this.#pretending;
  }

  /**
   * Run a statement that changes something. Placeholders are the dialect's own
   * (`$1` on PostgreSQL, `?` elsewhere). Recorded, not run, while pretending.
   */
  async execute(sql: string, parameters: readonly unknown[] = []): Promise<ExecuteResult> {
    this.emit("change", RAW_SQL);
    return this.#execute(sql, parameters);
  }

  async #execute(sql: string, parameters: readonly unknown[]): Promise<ExecuteResult> {
    this.emit("statement", { sql, parameters, pretend: this.#pretending });
    if (this.#pretending) return { affectedRows: 0 };
    const result = await this.#runStatement(sql, parameters);
    return { affectedRows: result.affectedRows, insertId: result.insertId };
  }

  /** A migration's own statement, with the run strategy's bookkeeping around it when it asks. */
  async #runStatement(sql: string, parameters: readonly unknown[]) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#runStatementOnce(sql, parameters);
      } catch (error) {
        // Safe execution outside a transaction: a statement that timed out waiting for a lock changed nothing.
        if (!this.#statementRetry || this.#transactionDepth > 0 || !(await this.#statementRetry(error, attempt))) throw error;
      }
    }
  }

  async #runStatementOnce(sql: string, parameters: readonly unknown[]) {
    const hooks = this.#statementHooks;
    const bookkeeping = hooks?.before?.(sql);
    const joined = bookkeeping !== undefined && parameters.length === 0 ? this.#dialect.runStrategy.joinBookkeeping(bookkeeping, sql) : undefined;
    let result;
    if (joined !== undefined) {
      // An error names the migration's statement, not the bookkeeping sent with it.
      result = await this.#run(joined, [], sql);
    } else {
      if (bookkeeping !== undefined) await this.#run(bookkeeping, []);
      result = await this.#run(sql, parameters);
    }
    await hooks?.after?.(sql);
    return result;
  }

  /** Run a query and return its rows. While pretending it is recorded and returns no rows. */
  async query<T = Record<string, unknown>>(sql: string, parameters: readonly unknown[] = []): Promise<T[]> {
    this.emit("change", RAW_SQL);
    this.emit("statement", { sql, parameters, pretend: this.#pretending });
    if (this.#pretending) return [];
    return (await this.#runStatement(sql, parameters)).rows as T[];
  }

  /**
   * A read that runs even while pretending and is never recorded: introspection and
   * the tracking table must see the real database to plan.
   */
  async read<T = Record<string, unknown>>(sql: string, parameters: readonly unknown[] = []): Promise<T[]> {
    return (await this.#read(sql, parameters)) as T[];
  }

  /**
   * A write that is never recorded nor reported as a statement of the migration: the
   * tracking table's bookkeeping. It runs even while pretending, so callers decide.
   */
  async executeInternal(sql: string, parameters: readonly unknown[] = []): Promise<ExecuteResult> {
    const result = await this.#run(sql, parameters);
    return { affectedRows: result.affectedRows, insertId: result.insertId };
  }

  /** Run compiled statements in order. */
  async executeAll(queries: readonly CompiledQuery[]): Promise<void> {
    for (const q of queries) await this.#execute(q.sql, q.parameters);
  }

  /**
   * Run `fn` in a transaction; nested calls use savepoints. Rolls back and rethrows
   * when `fn` throws.
   */
  async transaction<T>(fn: (db: this) => Promise<T>): Promise<T> {
    const depth = this.#transactionDepth;
    const savepoint = `mortar_sp_${depth}`;
    const deferBegin = depth === 0 && !this.#pretending && this.#dialect.capabilities.sendsTransactionControlWithStatements === true;
    if (deferBegin) this.#pendingBegin = this.#dialect.beginStatement;
    else await this.#control(depth === 0 ? this.#dialect.beginStatement : `SAVEPOINT ${savepoint}`);
    this.#transactionDepth++;
    if (!this.#pretending) this.emit("transaction", { phase: "begin", depth });
    try {
      const result = await fn(this);
      if (depth === 0) await this.#commit();
      else await this.#control(`RELEASE SAVEPOINT ${savepoint}`);
      if (!this.#pretending) this.emit("transaction", { phase: "commit", depth });
      return result;
    } catch (error) {
      if (!this.#pretending) this.emit("transaction", { phase: "rollback", depth });
      if (depth === 0 && this.#pendingBegin !== undefined) {
        // BEGIN was never sent: there is nothing to roll back.
        this.#pendingBegin = undefined;
      } else {
        await this.#control(depth === 0 ? "ROLLBACK" : `ROLLBACK TO SAVEPOINT ${savepoint}`).catch(() => undefined);
      }
      throw error;
    } finally {
      if (depth === 0) this.#commitWrite = undefined;
      this.#transactionDepth = depth;
    }
  }

  /**
   * @internal Bookkeeping SQL (no parameters) that must commit with the current
   * transaction, sent in the COMMIT's own round trip. Only where the dialect
   * `sendsTransactionControlWithStatements`; elsewhere write it with `executeInternal`.
   */
  writeOnCommit(sql: string): void {
    if (this.#transactionDepth === 0 || !this.#dialect.capabilities.sendsTransactionControlWithStatements) {
      // A programming error in Mortar itself, never a user's.
      throw new Error("writeOnCommit needs an open transaction on a dialect that sends COMMIT with statements");
    }
    this.#commitWrite = this.#commitWrite === undefined ? sql : `${this.#commitWrite};\n${sql}`;
  }

  async #commit(): Promise<void> {
    // Cleared by transaction() once this settles, whichever way.
    const write = this.#commitWrite;
    if (this.#pendingBegin !== undefined) {
      // Nothing was sent inside the transaction: the write alone commits by itself.
      this.#pendingBegin = undefined;
      if (write !== undefined) await this.#run(write, []);
      return;
    }
    await this.#control(write === undefined ? "COMMIT" : `${write};\nCOMMIT`);
  }

  /**
   * @internal Run `fn` with `hooks` around each statement a migration runs (the run
   * strategy's bookkeeping for a run that cannot roll back); removed when `fn` settles.
   */
  async withStatementHooks<T>(hooks: StatementHooks, fn: () => Promise<T>): Promise<T> {
    const previous = this.#statementHooks;
    this.#statementHooks = hooks;
    try {
      return await fn();
    } finally {
      this.#statementHooks = previous;
    }
  }

  /**
   * @internal Run `fn` with `retry` asked, after a migration statement outside any
   * transaction fails, whether to send it again (safe execution's retry of the failed
   * statement on lock timeouts); removed when `fn` settles.
   */
  async withStatementRetry<T>(retry: (error: unknown, attempt: number) => Promise<boolean>, fn: () => Promise<T>): Promise<T> {
    const previous = this.#statementRetry;
    this.#statementRetry = retry;
    try {
      return await fn();
    } finally {
      this.#statementRetry = previous;
    }
  }

  /** @internal Hear every schema change (and raw statement) until the returned function is called. */
  observeChanges(listener: (change: SchemaChange) => void): () => void {
    this.on("change", listener);
    return () => this.off("change", listener);
  }

  /** @internal What the schema builder reports a change did. */
  reportChange(change: SchemaChange): void {
    this.emit("change", change);
  }

  /**
   * Record the statements `fn` would run instead of running them. Reads through the
   * introspector still happen, so the schema builder can plan against the live schema.
   */
  async pretend<T>(fn: (db: this) => Promise<T>): Promise<{ result: T; statements: StatementEvent[] }> {
    const statements: StatementEvent[] = [];
    const record = (event: StatementEvent) => statements.push(event);
    const was = this.#pretending;
    this.#pretending = true;
    this.on("statement", record);
    try {
      const result = await fn(this);
      return { result, statements };
    } finally {
      this.off("statement", record);
      this.#pretending = was;
    }
  }

  /** Close the connection. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#driver.close();
  }

  /** Transaction control statements are never recorded as the migration's own statements. */
  async #control(sql: string): Promise<void> {
    if (this.#pretending) return;
    await this.#run(sql, []);
  }

  async #read(sql: string, parameters: readonly unknown[]): Promise<Record<string, unknown>[]> {
    return (await this.#run(sql, parameters)).rows;
  }

  /** `shown` is the statement an error names, when `sql` carries bookkeeping with it. */
  async #run(sql: string, parameters: readonly unknown[], shown = sql) {
    if (this.#closed) throw new MortarError("CONNECTION_FAILED", "the database connection is closed");
    const begin = this.#pendingBegin;
    this.#pendingBegin = undefined;
    try {
      if (begin === undefined) return await this.#driver.run(sql, parameters);
      // A deferred BEGIN rides with the first statement; a bound statement cannot share
      // its text, so BEGIN goes first on its own.
      if (parameters.length === 0) return await this.#driver.run(`${begin};\n${sql}`, []);
      await this.#driver.run(begin, []);
      return await this.#driver.run(sql, parameters);
    } catch (error) {
      throw new QueryError(shown, parameters, error);
    }
  }
}
