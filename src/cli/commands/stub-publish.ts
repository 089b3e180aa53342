import { join } from "node:path";
import { Command } from "commander";
import { DEFAULT_STUBS, STUB_FILES, type StubKind } from "../../migration/migration-stubs.js";
import { displayPath } from "../../util/display-path.js";
import type { ActionResult } from "../action-result.js";
import { createOutput } from "../output.js";
import { renderFailure } from "../render.js";
import { writeIfAbsent } from "../write-if-absent.js";
import { PROJECT_STUBS } from "./make-migration.js";

interface PublishFlags {
  force?: boolean;
  verbose?: boolean;
}

/**
 * Laravel's `stub:publish`: copy the default migration stubs into `./stubs`, where
 * `make:migration` prefers them. An existing stub is kept unless `--force`.
 */
export function stubPublishCommand(result: ActionResult): Command {
  return new Command("stub:publish")
    .description(`Copy the migration stubs to ./${PROJECT_STUBS} for editing (make:migration uses them for TypeScript files)`)
    .option("--force", "overwrite stubs that are already there")
    .option("--verbose", "print stack traces with errors")
    .action(
      result.returning(async (flags: PublishFlags) => {
        const out = createOutput({ json: false });
        try {
          for (const kind of Object.keys(STUB_FILES) as StubKind[]) {
            const path = join(process.cwd(), PROJECT_STUBS, STUB_FILES[kind]);
            const outcome = writeIfAbsent(path, DEFAULT_STUBS[kind], Boolean(flags.force));
            out.line(`  ${displayPath(path)} ${outcome === "kept" ? out.color.gray("exists, kept (--force to overwrite)") : out.color.green(outcome)}`);
          }
          return 0;
        } catch (error) {
          return renderFailure(out, error, Boolean(flags.verbose));
        }
      }),
    );
}
