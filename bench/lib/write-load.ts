import { connect } from "../../src/dialect/connect.js";
import type { ConnectionConfig } from "../../src/dialect/dialect.js";

/** What a write load saw: every write's latency, summarised. */
export interface WriteLoadResult {
  readonly writes: number;
  /** The longest single write: the longest time the application was stalled. */
  readonly maxMs: number;
  readonly p99Ms: number;
  readonly medianMs: number;
}

export interface WriteLoad {
  /** Stop after the write in flight, close the connection and summarise. */
  stop(): Promise<WriteLoadResult>;
}

/**
 * An application's write traffic on one table, from a connection of its own: single-row
 * inserts and updates of random rows, one after the other (each its own autocommit
 * transaction, as a web request would send them), each timed from send to reply. It is
 * bounded: it stops when told to, and by itself after `limitMs` whatever happens, so a
 * benchmark that fails half-way leaves no loop running.
 */
export async function startWriteLoad(config: ConnectionConfig, table: string, rowCount: number, limitMs: number): Promise<WriteLoad> {
  const db = await connect(config);
  const g = db.grammar;
  const t = g.quoteIdentifier(table);
  const insert = `insert into ${t} (${g.quoteIdentifier("account_id")}, ${g.quoteIdentifier("email")}, ${g.quoteIdentifier("amount")}) values (${g.parameter(1)}, ${g.parameter(2)}, ${g.parameter(3)})`;
  const update = `update ${t} set ${g.quoteIdentifier("amount")} = ${g.quoteIdentifier("amount")} + 1 where ${g.quoteIdentifier("id")} = ${g.parameter(1)}`;
  const latencies: number[] = [];
  const deadline = performance.now() + limitMs;
  let stopping = false;
  const loop = (async () => {
    for (let i = 0; !stopping && performance.now() < deadline; i++) {
      const started = performance.now();
      if (i % 2 === 0) await db.execute(insert, [i % 1000, `load-${i}@example.com`, i % 100]);
      else await db.execute(update, [1 + Math.floor(Math.random() * rowCount)]);
      latencies.push(performance.now() - started);
    }
  })();
  return {
    async stop() {
      stopping = true;
      try {
        await loop;
      } finally {
        await db.close();
      }
      return summarise(latencies);
    },
  };
}

function summarise(latencies: readonly number[]): WriteLoadResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { writes: sorted.length, maxMs: sorted.at(-1) ?? 0, p99Ms: at(0.99), medianMs: at(0.5) };
}
