import type { TestDatabaseBackend } from "./backend.js";

/**
 * Copies of one template made ahead of need. `take()` hands out a ready copy at once when
 * there is one and starts making its replacement in the background, so a test that runs
 * at least as long as a copy takes never waits for one; with none ready it waits for the
 * copy being made. Copies are made one at a time per process (parallel copies only
 * compete for the same server). Size 0 makes each copy on demand (SQLite, where a copy is
 * a file copy).
 */
export class CopyPool {
  readonly #backend: TestDatabaseBackend;
  readonly #size: number;
  readonly #newName: () => string;
  readonly #ready: string[] = [];
  readonly #waiters: { resolve(name: string): void; reject(error: unknown): void }[] = [];
  #filling: Promise<void> | undefined;
  #closed = false;

  constructor(backend: TestDatabaseBackend, size: number, newName: () => string) {
    this.#backend = backend;
    this.#size = size;
    this.#newName = newName;
  }

  /** Copies ready right now (for tests and the bench). */
  get readyCount(): number {
    return this.#ready.length;
  }

  take(): Promise<string> {
    const ready = this.#ready.shift();
    const taken = ready !== undefined ? Promise.resolve(ready) : new Promise<string>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    this.#fill();
    return taken;
  }

  /** Resolves when the pool holds `size` ready copies (or stopped on an error). */
  async full(): Promise<void> {
    this.#fill();
    await this.#filling;
  }

  #fill(): void {
    if (this.#filling || this.#closed) return;
    this.#filling = this.#loop().finally(() => (this.#filling = undefined));
  }

  async #loop(): Promise<void> {
    while (!this.#closed && (this.#waiters.length > 0 || this.#ready.length < this.#size)) {
      const name = this.#newName();
      try {
        await this.#backend.createCopy(name);
      } catch (error) {
        // The callers waiting get the error; a later take() tries again.
        for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
        return;
      }
      const waiter = this.#waiters.shift();
      if (waiter) waiter.resolve(name);
      else if (this.#closed) await this.#backend.dropCopy(name).catch(() => undefined);
      else this.#ready.push(name);
    }
  }

  /** Stop refilling and drop the ready copies. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#filling;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(new Error("test databases closed"));
    const names = this.#ready.splice(0);
    await Promise.all(names.map((name) => this.#backend.dropCopy(name).catch(() => undefined)));
  }

  /** Ready copies' names, removed from the pool (for a synchronous clean-up at exit). */
  drainNames(): string[] {
    this.#closed = true;
    return this.#ready.splice(0);
  }
}
