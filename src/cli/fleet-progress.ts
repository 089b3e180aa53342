import type { Output } from "./output.js";

/** Where a fleet run's per-tenant lines go, with a progress bar under them on a terminal. */
export interface FleetProgress {
  begin(total: number): void;
  /** One tenant finished: its lines, and whether it failed (the bar counts failures). */
  done(lines: readonly string[], failed: boolean): void;
  stop(): void;
}

/**
 * On a terminal (never with --json, never into a pipe): cli-progress's bar, with each
 * tenant's lines logged above it. Elsewhere the lines are printed as tenants finish.
 * cli-progress is imported only for a fleet run on a terminal.
 */
export async function fleetProgress(out: Output, stream: NodeJS.WriteStream = process.stdout): Promise<FleetProgress> {
  if (out.json || !stream.isTTY) {
    return { begin: () => undefined, done: (lines) => out.lines(lines), stop: () => undefined };
  }
  const { MultiBar, Presets } = await import("cli-progress");
  const bars = new MultiBar(
    {
      stream,
      format: "  {bar} {value}/{total} tenants  {failed} failed  {duration_formatted}",
      hideCursor: true,
      clearOnComplete: true,
      stopOnComplete: false,
      fps: 10,
    },
    Presets.shades_classic,
  );
  let bar: ReturnType<typeof bars.create> | undefined;
  let failures = 0;
  return {
    begin: (total) => {
      bar = bars.create(total, 0, { failed: 0 });
    },
    done: (lines, failed) => {
      if (failed) failures++;
      if (lines.length > 0) bars.log(`${lines.join("\n")}\n`);
      bar?.increment(1, { failed: failures });
    },
    stop: () => bars.stop(),
  };
}
