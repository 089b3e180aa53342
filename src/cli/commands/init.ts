import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { UsageError } from "../../errors.js";
import type { ActionResult } from "../action-result.js";
import {
  CONFIG_FILE,
  CONFIG_TEXT,
  ENV_EXAMPLE_FILE,
  ENV_EXAMPLE_TEXT,
  FOLDERS,
  GITIGNORE_FILE,
  GITIGNORE_LINES,
  missingLines,
} from "../init-files.js";
import { createOutput, type Output } from "../output.js";
import { renderFailure } from "../render.js";
import { writeIfAbsent } from "../write-if-absent.js";

interface InitFlags {
  verbose?: boolean;
}

/**
 * Set a project up for Mortar in the working folder. Never overwrites: a file that is
 * there is kept (and said so), so running it twice changes nothing.
 */
export function initCommand(result: ActionResult): Command {
  return new Command("init")
    .description(`Write ${CONFIG_FILE}, ${ENV_EXAMPLE_FILE}, ${FOLDERS.join("/, ")}/ and .gitignore lines; never overwrites`)
    .option("--verbose", "print stack traces with errors")
    .action(
      result.returning(async (flags: InitFlags) => {
        const out = createOutput({ json: false });
        try {
          const cwd = process.cwd();
          report(out, CONFIG_FILE, writeIfAbsent(join(cwd, CONFIG_FILE), CONFIG_TEXT) === "created" ? "created" : "exists, kept");
          report(out, ENV_EXAMPLE_FILE, writeIfAbsent(join(cwd, ENV_EXAMPLE_FILE), ENV_EXAMPLE_TEXT) === "created" ? "created" : "exists, kept");
          for (const folder of FOLDERS) report(out, `${folder}/`, makeFolder(join(cwd, folder), folder));
          report(out, GITIGNORE_FILE, addIgnoreLines(join(cwd, GITIGNORE_FILE)));
          return 0;
        } catch (error) {
          return renderFailure(out, error, Boolean(flags.verbose));
        }
      }),
    );
}

function report(out: Output, what: string, outcome: string): void {
  const painted = outcome.startsWith("exists") || outcome.startsWith("has") ? out.color.gray(outcome) : out.color.green(outcome);
  out.line(`  ${what} ${painted}`);
}

function makeFolder(path: string, shown: string): string {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (stats?.isDirectory()) return "exists, kept";
  if (stats) throw new UsageError(`${shown} exists and is not a folder`);
  mkdirSync(path, { recursive: true });
  return "created";
}

/** Append the lines .gitignore lacks; the ones it has (and everything else in it) stay. */
function addIgnoreLines(path: string): string {
  const existing = existsSync(path) ? readFileSync(path, "utf8") : undefined;
  const missing = missingLines(existing ?? "", GITIGNORE_LINES);
  if (missing.length === 0) return `has ${GITIGNORE_LINES.join(", ")}, kept`;
  const separator = existing && !existing.endsWith("\n") ? "\n" : "";
  appendFileSync(path, `${separator}${missing.join("\n")}\n`);
  return existing === undefined ? `created (${missing.join(", ")})` : `added ${missing.join(", ")}`;
}
