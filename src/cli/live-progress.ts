import type { MigrationEvent } from "../migration/migrator.js";
import type { Output } from "./output.js";
import { migrationLine } from "./render.js";
import { dotted } from "./output.js";

/** A migration still running after this long shows a RUNNING line (on a terminal). */
export const SLOW_MIGRATION_MS = 1000;

/** What the progress printer needs of the output; a fake in unit tests. */
export type ProgressOutput = Pick<Output, "line" | "transient" | "color">;

/** setTimeout/clearTimeout, replaceable in tests. */
export interface ProgressTimers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const REAL_TIMERS: ProgressTimers = {
  // Unref'd: a pending RUNNING line never keeps the process alive.
  set: (callback, ms) => setTimeout(callback, ms).unref(),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

const HEADERS = { up: "Running migrations.", down: "Rolling back migrations." } as const;

/**
 * Laravel's live run output, driven by the migrator's events: a header when the run
 * starts going up ("Running migrations.") or down ("Rolling back migrations." — refresh
 * prints both), one DONE/FAIL line per migration as it finishes, and on a terminal a
 * RUNNING line for a migration that takes longer than a second, wiped by its DONE line.
 * While pretending it prints nothing live; it remembers each migration's direction so
 * the pretended SQL gets the same headers.
 */
export class LiveProgress {
  readonly #out: ProgressOutput;
  readonly #timers: ProgressTimers;
  readonly #slowAfterMs: number;
  readonly #directions = new Map<string, "up" | "down">();
  #headed: "up" | "down" | undefined;
  #slowTimer: unknown;

  constructor(out: ProgressOutput, options: { timers?: ProgressTimers; slowAfterMs?: number } = {}) {
    this.#out = out;
    this.#timers = options.timers ?? REAL_TIMERS;
    this.#slowAfterMs = options.slowAfterMs ?? SLOW_MIGRATION_MS;
  }

  /** A migration started (live run): header if the direction changed, arm the RUNNING line. */
  started(event: MigrationEvent): void {
    this.#directions.set(event.name, event.direction);
    this.header(event.direction);
    this.#disarm();
    this.#slowTimer = this.#timers.set(() => {
      this.#slowTimer = undefined;
      this.#out.transient(dotted(event.name, this.#out.color.yellow("RUNNING")));
    }, this.#slowAfterMs);
  }

  /** A pretended migration started: only its direction is kept, for `pretendHeader`. */
  pretended(event: MigrationEvent): void {
    this.#directions.set(event.name, event.direction);
  }

  finished(name: string, durationMs: number, status: "DONE" | "FAIL"): void {
    this.#disarm();
    this.#out.line(migrationLine(this.#out, name, durationMs, status));
  }

  /** The header for a direction, once per change of direction. */
  header(direction: "up" | "down"): void {
    if (this.#headed === direction) return;
    // A blank line between refresh's rollback lines and its migrate header.
    if (this.#headed !== undefined) this.#out.line();
    this.#headed = direction;
    this.#out.line(`  ${this.#out.color.gray("INFO")}  ${HEADERS[direction]}`);
    this.#out.line();
  }

  /** Before a pretended migration's SQL: the header of its direction, if it has one. */
  pretendHeader(name: string): void {
    const direction = this.#directions.get(name);
    if (direction) this.header(direction);
  }

  /** Stop any pending RUNNING line (the run is over or interrupted). */
  dispose(): void {
    this.#disarm();
  }

  #disarm(): void {
    if (this.#slowTimer !== undefined) this.#timers.clear(this.#slowTimer);
    this.#slowTimer = undefined;
  }
}
