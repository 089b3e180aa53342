import type { Database } from "../dialect/database.js";
import { bindSeeder, isSeederClass, type SeederBinding, type SeederClass } from "./seeder.js";
import { SeederFailedError } from "./seeder-errors.js";
import { DEFAULT_SEEDER, loadSeeder, locateSeeder } from "./seeder-file.js";

export interface SeedOptions {
  /** Folder of seeder files (`databases/seeders`). */
  readonly path: string;
  /** The seeder to start from. Default `DatabaseSeeder`. */
  readonly seeder?: string;
  /** Called as each seeder finishes, the outermost last. */
  readonly onSeederEnd?: (event: SeederEndEvent) => void;
}

export interface SeederEndEvent {
  readonly name: string;
  readonly durationMs: number;
  readonly status: "DONE" | "FAIL";
}

export interface SeedResult {
  /** Every seeder that ran, in the order each started; one called twice is listed twice. */
  readonly seeded: readonly string[];
  readonly durationMs: number;
}

/**
 * Run a seeder (and whatever it calls) on `db`, all in ONE transaction, so a seeder that
 * throws leaves nothing half-seeded: SQLite and PostgreSQL roll back everything; MySQL
 * and MariaDB roll back rows (InnoDB) but commit any DDL a seeder runs as it goes.
 * Throws `UsageError` when the seeder's file is not there, `SeederFileError` when it
 * cannot be loaded, and `SeederFailedError` (the transaction rolled back) when one fails.
 */
export async function seed(db: Database, options: SeedOptions): Promise<SeedResult> {
  const name = options.seeder ?? DEFAULT_SEEDER;
  // Found and loaded before the transaction opens: a missing file changes nothing.
  const root = await loadSeeder(locateSeeder(options.path, name));
  const started = performance.now();
  const seeded: string[] = [];
  await db.transaction(() => runSeeders(db, [root], [], seeded, options.onSeederEnd));
  return { seeded, durationMs: Math.round(performance.now() - started) };
}

/** Run `classes` in order; `callers` is the chain of seeders above them, outermost first. */
async function runSeeders(
  db: Database,
  classes: readonly SeederClass[],
  callers: readonly string[],
  seeded: string[],
  onEnd: SeedOptions["onSeederEnd"],
): Promise<void> {
  for (const seederClass of classes) {
    // A mistake in the calling seeder: its catch below names it as the one that failed.
    if (!isSeederClass(seederClass)) throw new TypeError(`call() takes seeder classes (extending Seeder from "mortar"), got ${shown(seederClass)}`);
    const name = seederClass.name || "(anonymous seeder)";
    const chain = [...callers, name];
    const binding: SeederBinding = {
      db,
      call: (more) => runSeeders(db, more, chain, seeded, onEnd),
    };
    seeded.push(name);
    const started = performance.now();
    try {
      const seeder = bindSeeder(new seederClass(), binding);
      // A called seeder runs in a savepoint: a caller that catches its failure and goes on
      // keeps none of its rows (and PostgreSQL's transaction stays usable).
      await (callers.length > 0 ? db.transaction(() => seeder.run()) : seeder.run());
    } catch (error) {
      onEnd?.({ name, durationMs: elapsed(started), status: "FAIL" });
      // The innermost seeder that failed is named once; its callers pass it on as it is.
      if (error instanceof SeederFailedError) throw error;
      throw new SeederFailedError(name, callers, error);
    }
    onEnd?.({ name, durationMs: elapsed(started), status: "DONE" });
  }
}

function shown(value: unknown): string {
  return typeof value === "function" ? `function ${value.name || "(anonymous)"} that does not extend Seeder` : value === null ? "null" : typeof value;
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
