import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { UsageError } from "../errors.js";
import { displayPath } from "../util/display-path.js";
import type { Output } from "./output.js";

/**
 * Where `schema:types` and `schema:erd` put what they generate: standard output (no
 * file given, or `-`), so it can be piped or redirected, or a file. A file whose text is
 * already the same is left untouched, so a watcher or a build does not see a change
 * that is none. Returns whether a file was written.
 */
export function writeGenerated(text: string, target: string | undefined, out: Output, what: string, options: { quietWhenUnchanged?: boolean } = {}): boolean {
  if (target === undefined || target === "-") {
    process.stdout.write(text);
    return false;
  }
  const path = resolve(target);
  const shown = displayPath(path);
  let current: string | undefined;
  try {
    current = readFileSync(path, "utf8");
  } catch {
    current = undefined;
  }
  if (current === text) {
    if (!options.quietWhenUnchanged) out.line(`  ${out.color.gray("INFO")}  ${what} unchanged: ${shown}.`);
    return false;
  }
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  } catch (error) {
    throw new UsageError(`--out ${shown}: cannot write the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  out.line(`  ${out.color.gray("INFO")}  ${what} written to ${shown}.`);
  return true;
}
