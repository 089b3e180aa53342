import { generateTypes } from "./commands/schema-types.js";
import { EXIT_OK, exitCodeFor } from "./exit-codes.js";
import { writeGenerated } from "./generated-file.js";
import { renderError } from "./render.js";
import type { FollowUp, RunCommand } from "./run-command.js";

const NOTHING: FollowUp = { fields: {}, exitCode: EXIT_OK };

/**
 * Config `types.out`: after a successful, real `migrate` (and its seeding, if asked),
 * the types file is written again on the run's own connection, so it never lags the
 * schema. Unchanged text leaves the file untouched. A failure to write is reported and
 * fails the command, but the migrations stay applied.
 */
export function writeTypesAfter(followUp: RunCommand["followUp"], flags: { readonly pretend?: boolean; readonly verbose?: boolean }): RunCommand["followUp"] {
  return async (context, result) => {
    const before = followUp ? await followUp(context, result) : NOTHING;
    const target = context.config.types.out;
    if (target === undefined || result.error || flags.pretend || before.exitCode !== EXIT_OK) return before;
    try {
      const written = writeGenerated(await generateTypes(context.db, context.config), target, context.out, "Types", { quietWhenUnchanged: true });
      return written ? { ...before, fields: { ...before.fields, types: target } } : before;
    } catch (error) {
      renderError(context.out, error, Boolean(flags.verbose));
      return { ...before, exitCode: exitCodeFor(error) };
    }
  };
}
