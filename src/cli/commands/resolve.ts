import { Command } from "commander";
import { UsageError } from "../../errors.js";
import type { ActionResult } from "../action-result.js";
import { addCommonOptions, forceOption, withMigrator, type CommonOptions } from "../context.js";

interface ResolveFlags extends CommonOptions {
  applied?: boolean;
  rolledBack?: boolean;
  force?: boolean;
}

const DONE = {
  settled: "recorded as applied",
  forgotten: "recorded as rolled back",
  accepted: "accepted as it is now: its new checksum is recorded",
  unchanged: "already matches its file; nothing to accept",
} as const;

/**
 * Settle a migration that a non-transactional run (MySQL) left unfinished, or accept the
 * edit of a Modified one (`--applied`).
 */
export function resolveCommand(result: ActionResult): Command {
  return addCommonOptions(new Command("migrate:resolve"))
    .description("Settle a failed or interrupted migration by hand, or accept the edit of a modified one (--applied)")
    .argument("<name>", "the migration, e.g. 2026_01_01_000000_create_users_table")
    .option("--applied", "its changes are in place: record it as ran (on a modified migration: accept its file as it is now)")
    .option("--rolled-back", "a failed run's changes are undone: forget it (a migration that ran normally: use migrate:rollback)")
    .addOption(forceOption())
    .action(
      result.returning(async (name: string, flags: ResolveFlags) => {
        if (Boolean(flags.applied) === Boolean(flags.rolledBack)) {
          throw new UsageError("migrate:resolve needs exactly one of --applied or --rolled-back");
        }
        return withMigrator("migrate:resolve", flags, true, async ({ migrator, out }) => {
          const done = await migrator.resolve(name, flags.applied ? "applied" : "rolled-back");
          out.line(`  ${out.color.gray("INFO")}  ${name} ${DONE[done]}.`);
          return 0;
        });
      }),
    );
}
