import { redactSecrets } from "../config/redact.js";

/**
 * Everything the command line writes goes through here, so colour rules (only on a
 * TTY, never with NO_COLOR), `--json` silence and the masking of every password Mortar
 * read (redactSecrets) live in one place.
 */
export interface Output {
  readonly json: boolean;
  line(text?: string): void;
  /** Several lines in one write (a status table of thousands of rows). */
  lines(texts: readonly string[]): void;
  error(text: string): void;
  /** Print the one JSON document of a `--json` run. */
  document(value: unknown): void;
  /** Print nothing more: an interrupted run reports itself in one line of its own. */
  silence(): void;
  /**
   * On a terminal only (never with --json, never into a pipe): `text` without a newline,
   * wiped by whatever is printed next. The "RUNNING" line of a slow migration.
   */
  transient(text: string): void;
  color: Colors;
}

export interface Colors {
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  gray(text: string): string;
  bold(text: string): string;
}

const ANSI = { green: 32, yellow: 33, red: 31, gray: 90, bold: 1 } as const;

function colors(enabled: boolean): Colors {
  const paint = (code: number) => (text: string) => (enabled ? `\u001b[${code}m${text}\u001b[0m` : text);
  return {
    green: paint(ANSI.green),
    yellow: paint(ANSI.yellow),
    red: paint(ANSI.red),
    gray: paint(ANSI.gray),
    bold: paint(ANSI.bold),
  };
}

/** Where output goes: process.stdout / process.stderr, or a fake terminal in tests. */
export interface OutputStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/** Back to the start of the line and erase it. */
const WIPE_LINE = "\r\u001b[2K";

let pipeGuarded = false;

export function createOutput(options: { json: boolean; stdout?: OutputStream; stderr?: OutputStream }): Output {
  // A reader that goes away (`mortar migrate:status | head`) must not kill a run half-way
  // with an unhandled EPIPE: the run goes on, its output has nowhere to go.
  if (!pipeGuarded) {
    pipeGuarded = true;
    for (const stream of [process.stdout, process.stderr]) {
      stream.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code !== "EPIPE") throw error;
      });
    }
  }
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const useColor = Boolean(stdout.isTTY) && !("NO_COLOR" in process.env) && !options.json;
  let silent = false;
  let transientShown = false;
  /** Whatever goes to stdout next starts by wiping a transient line. */
  const toStdout = (text: string) => {
    // Every byte the command line prints passes here: no password Mortar read can reach
    // a terminal, a pipe or a CI log, whatever command or document quotes it.
    stdout.write(redactSecrets(transientShown ? WIPE_LINE + text : text));
    transientShown = false;
  };
  return {
    json: options.json,
    color: colors(useColor),
    line(text = "") {
      if (!options.json && !silent) toStdout(`${text}\n`);
    },
    lines(texts: readonly string[]) {
      if (!options.json && !silent && texts.length > 0) toStdout(`${texts.join("\n")}\n`);
    },
    error(text: string) {
      if (options.json || silent) return;
      if (transientShown) toStdout("");
      stderr.write(redactSecrets(`${text}\n`));
    },
    document(value: unknown) {
      if (!silent) toStdout(`${JSON.stringify(value)}\n`);
    },
    silence() {
      if (transientShown) toStdout("");
      silent = true;
    },
    transient(text: string) {
      if (options.json || silent || !stdout.isTTY) return;
      toStdout(text);
      transientShown = true;
    },
  };
}

/** `name ........ detail` padded to the terminal width, like Laravel's task lines. */
export function dotted(left: string, right: string, width = terminalWidth()): string {
  const visible = (s: string) => s.replace(/\u001b\[\d+m/g, "").length;
  const dots = Math.max(3, width - visible(left) - visible(right) - 6);
  return `  ${left} ${".".repeat(dots)} ${right}`;
}

/** The width task lines are padded to: the terminal's, at most 120; 100 off a terminal. */
export function terminalWidth(): number {
  return Math.min(process.stdout.columns || 100, 120);
}
