/** A statement with its bound parameters (grammar.ts's CompiledQuery, restated to keep this file a leaf). */
interface Statement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

/**
 * One step a safe run does after the migration's own transaction has committed: a
 * `CREATE INDEX CONCURRENTLY` (which cannot run in a transaction), a `VALIDATE
 * CONSTRAINT` (a long scan that must not hold the transaction's locks), … Plain data,
 * so the tracking table can store what is left of a run and a later run can finish it.
 */
export interface SafeStep {
  /** What the step does, for status output and errors ("validate fk posts_user_id_foreign"). */
  readonly description: string;
  /** The table it works on. */
  readonly table: string;
  readonly statements: readonly string[];
  /** Run in a transaction of its own (false: outside any, as CONCURRENTLY needs). */
  readonly transactional: boolean;
  /** Run when the step fails, before the error is reported (drop an INVALID index). */
  readonly onFailure?: readonly string[];
}

/**
 * How safe execution runs one schema command on a table that existed before the
 * migration: `now` inside the migration, `later` as steps after it commits. `inline` is
 * what `later` becomes when a later command of the same migration needs its effect
 * before the migration ends (a foreign key onto a unique index being built): the
 * ordinary, blocking form, run at that point instead.
 */
export interface SafePlan {
  readonly now: readonly Statement[];
  readonly later: readonly SafeStep[];
  readonly inline: readonly Statement[];
}
