/**
 * Removals of dropped copies that run after `drop()` has resolved, one at a time on their
 * own connection, so a test does not wait for the server to delete files (and on
 * PostgreSQL to checkpoint). `settled()` waits for all of them: `closeTestDatabases()`
 * and process exit call it. A removal that fails is left for the next run's clean-up.
 */
export class BackgroundRemovals {
  readonly #pending = new Set<Promise<void>>();

  add(work: () => Promise<unknown>): void {
    const removal = work().then(
      () => undefined,
      () => undefined,
    );
    this.#pending.add(removal);
    void removal.finally(() => this.#pending.delete(removal));
  }

  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }
}
