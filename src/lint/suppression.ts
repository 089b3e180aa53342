import { UsageError } from "../errors.js";
import type { MigrationClass } from "../migration/migration.js";
import { RULE_IDS, type RuleId } from "./lint-rule.js";

/**
 * The rule ids a migration suppresses with `static safe = ["rule-id", …]`. Anything
 * else there (a typo, a rule that does not exist) is an error naming the file and the
 * id: a suppression that silently matched nothing would let a finding through.
 */
export function suppressedRules(migrationClass: MigrationClass, shownPath: string): ReadonlySet<RuleId> {
  const safe: unknown = migrationClass.safe;
  if (safe === undefined) return new Set();
  if (!Array.isArray(safe)) throw new UsageError(`${shownPath}: static safe must be a list of lint rule ids, e.g. static safe = ["drop-table"]`);
  const known = new Set<string>(RULE_IDS);
  for (const id of safe) {
    if (typeof id !== "string" || !known.has(id)) {
      throw new UsageError(`${shownPath}: static safe names ${JSON.stringify(id)}, which is not a lint rule (rules: ${RULE_IDS.join(", ")})`);
    }
  }
  return new Set(safe as RuleId[]);
}
