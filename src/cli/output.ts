/**
 * Everything the command line writes goes through here, so colour rules (only on a
 * TTY, never with NO_COLOR) and `--json` silence live in one place.
 */
export interface Output {
  readonly json: boolean;
  line(text?: string): void;
  error(text: string): void;
  /** Print the one JSON document of a `--json` run. */
  document(value: unknown): void;
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

export function createOutput(options: { json: boolean }): Output {
  const useColor = Boolean(process.stdout.isTTY) && !("NO_COLOR" in process.env) && !options.json;
  return {
    json: options.json,
    color: colors(useColor),
    line(text = "") {
      if (!options.json) process.stdout.write(`${text}\n`);
    },
    error(text: string) {
      if (!options.json) process.stderr.write(`${text}\n`);
    },
    document(value: unknown) {
      process.stdout.write(`${JSON.stringify(value)}\n`);
    },
  };
}

/** `name ........ detail` padded to the terminal width, like Laravel's task lines. */
export function dotted(left: string, right: string, width = Math.min(process.stdout.columns || 100, 120)): string {
  const visible = (s: string) => s.replace(/\u001b\[\d+m/g, "").length;
  const dots = Math.max(3, width - visible(left) - visible(right) - 6);
  return `  ${left} ${".".repeat(dots)} ${right}`;
}
