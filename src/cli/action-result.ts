/**
 * Commander drops what an action returns. Each command's action returns its exit code
 * instead of writing the process-wide `process.exitCode`; `returning()` keeps it here,
 * and main() returns it.
 */
export class ActionResult {
  #exitCode = 0;

  get exitCode(): number {
    return this.#exitCode;
  }

  /** The action to give commander: runs `action` and keeps the exit code it returns. */
  returning<A extends unknown[]>(action: (...args: A) => Promise<number>): (...args: A) => Promise<void> {
    return async (...args: A) => {
      this.#exitCode = await action(...args);
    };
  }
}
