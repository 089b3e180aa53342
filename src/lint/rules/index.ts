import type { LintRule } from "../lint-rule.js";

/** Every rule `mortar lint` applies (filled in rule by rule, one file each in this folder). */
export const RULES: readonly LintRule[] = [];
