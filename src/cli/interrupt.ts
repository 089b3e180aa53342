import type { ConnectionConfig } from "../dialect/dialect.js";
import { connect } from "../dialect/connect.js";
import { releaseHeldLeases } from "../dialect/lease/lease-lock.js";
import type { Database } from "../dialect/database.js";
import type { Migrator } from "../migration/migrator.js";
import type { RanMigration } from "../migration/plan.js";
import { MigrationRepository } from "../migration/repository.js";
import type { Output } from "./output.js";

/** 128 + the signal's number, as shells report a process a signal ended. */
const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type HandledSignal = keyof typeof EXIT_CODES;

interface Started {
  readonly name: string;
  readonly direction: "up" | "down";
}

export interface InterruptWatch {
  /** Stop listening. When a signal already arrived, never resolves: the handler exits the process. */
  dispose(): Promise<void>;
}

/**
 * Ctrl-C or a deploy tool's SIGTERM during a run: drop the run's connections so the
 * migration in flight rolls back (the database never saw its COMMIT), then read the
 * tracking table on a fresh connection and print ONE line saying what committed and what
 * did not, and exit 130 / 143. What is reported comes from the database, not from the
 * DONE lines: on SQLite a batch is one transaction, so migrations printed DONE in it
 * roll back with it and are named as rolled back.
 */
export function watchInterrupts(options: {
  readonly migrator: Migrator;
  readonly out: Output;
  readonly connections: readonly Database[];
  readonly config: ConnectionConfig;
  readonly table: string;
}): InterruptWatch {
  const started: Started[] = [];
  const onStart = (event: Started) => started.push({ name: event.name, direction: event.direction });
  options.migrator.on("migration:start", onStart);
  let handling: Promise<never> | undefined;
  const handlers = new Map<HandledSignal, () => void>();
  for (const signal of Object.keys(EXIT_CODES) as HandledSignal[]) {
    const handler = () => {
      // A second signal while reporting: the user means it.
      if (handling) process.exit(EXIT_CODES[signal]);
      handling = interrupt(signal, started, options);
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  return {
    async dispose() {
      if (handling) await handling;
      options.migrator.off("migration:start", onStart);
      for (const [signal, handler] of handlers) process.off(signal, handler);
    },
  };
}

async function interrupt(
  signal: HandledSignal,
  started: readonly Started[],
  { migrator, out, connections, config, table }: Parameters<typeof watchInterrupts>[0],
): Promise<never> {
  // Nothing the aborted run prints afterwards (its FAIL line, a "connection closed" error) is true.
  migrator.removeAllListeners();
  out.silence();
  // Not awaited: a server only reads the goodbye after the statement in flight, and
  // the process exits (closing the sockets) before that matters. SQLite closes at once,
  // rolling back its open transaction.
  for (const db of connections) void db.close().catch(() => undefined);
  // A lease lock lives in a row, not in the session: hand it back so the next run need not wait for it to expire.
  await releaseHeldLeases();
  let line: string;
  try {
    line = interruptLine(signal, started, await trackedNow(config, table));
  } catch {
    line = `Interrupted by ${signal}: could not read the tracking table to tell what committed; run mortar migrate:status`;
  }
  if (out.json) {
    process.stdout.write(`${JSON.stringify({ batch: null, migrations: [], error: { code: "INTERRUPTED", message: line }, warnings: [] })}\n`);
  } else {
    process.stderr.write(`  ${line}\n`);
  }
  process.exit(EXIT_CODES[signal]);
}

async function trackedNow(config: ConnectionConfig, table: string): Promise<Map<string, RanMigration>> {
  const db = await connect(config);
  try {
    return new Map((await new MigrationRepository(db, table).getRan()).map((r) => [r.migration, r]));
  } finally {
    await db.close().catch(() => undefined);
  }
}

/** `Interrupted by SIGINT: committed A, B; rolled back C; left unfinished D (…)`. */
function interruptLine(signal: HandledSignal, started: readonly Started[], tracked: ReadonlyMap<string, RanMigration>): string {
  const committed: string[] = [];
  const rolledBack: string[] = [];
  const stillApplied: string[] = [];
  const unfinished: string[] = [];
  for (const { name, direction } of started) {
    const row = tracked.get(name);
    if (row && row.status !== undefined && row.status !== "ran") unfinished.push(name);
    else if (direction === "up") (row ? committed : rolledBack).push(name);
    // A rollback committed when the row is gone.
    else (row ? stillApplied : rolledBack).push(name);
  }
  if (started.length === 0) return `Interrupted by ${signal} before any migration started`;
  const parts = [
    ...(committed.length > 0 || started.every((s) => s.direction === "up") ? [`committed ${committed.join(", ") || "none"}`] : []),
    ...(rolledBack.length > 0 ? [`rolled back ${rolledBack.join(", ")}`] : []),
    ...(stillApplied.length > 0 ? [`still applied ${stillApplied.join(", ")} (its rollback was undone)`] : []),
    ...(unfinished.length > 0
      ? [`left unfinished ${unfinished.join(", ")} (it may have partly run; settle it with mortar migrate:resolve ${unfinished[0]} --applied or --rolled-back)`]
      : []),
  ];
  return `Interrupted by ${signal}: ${parts.join("; ")}`;
}
