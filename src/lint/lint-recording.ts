import type { RecordingTarget } from "../migration/reversible/recording.js";
import type { SchemaCommand } from "../schema/commands.js";
import type { LintOperation } from "./lint-rule.js";

/** One recorded operation and whether the migration vouched for it (`this.safetyAssured`). */
export interface RecordedOperation {
  readonly operation: LintOperation;
  readonly assured: boolean;
}

/**
 * What one migration's up() (or change()) would do, in order: schema commands and raw
 * statements alike. Nothing is refused and nothing is sent: `execute` answers
 * `{ affectedRows: 0 }`, `query` answers no rows, a foreign-key switch is taken as done.
 */
export class LintRecording implements RecordingTarget {
  readonly operations: RecordedOperation[] = [];
  readonly refusesCreateIfNotExists = false;
  withoutForeignKeys = false;
  #assuredDepth = 0;
  readonly #onRecord: ((command: SchemaCommand) => void) | undefined;

  /** `onRecord` hears every schema command as it is recorded (offline reads follow them). */
  constructor(onRecord?: (command: SchemaCommand) => void) {
    this.#onRecord = onRecord;
  }

  record(commands: readonly SchemaCommand[]): void {
    for (const command of commands) {
      this.#push({ kind: "schema", command });
      this.#onRecord?.(command);
    }
  }

  raw(method: "execute" | "query", sql: string): unknown {
    this.#push({ kind: "raw", sql });
    return method === "query" ? [] : { affectedRows: 0 };
  }

  statement(): void {
    // A foreign-key switch or a bookkeeping write: not an operation of the migration.
  }

  async assured<T>(fn: () => Promise<T>): Promise<T> {
    this.#assuredDepth++;
    try {
      return await fn();
    } finally {
      this.#assuredDepth--;
    }
  }

  #push(operation: LintOperation): void {
    this.operations.push({ operation, assured: this.#assuredDepth > 0 });
  }
}
