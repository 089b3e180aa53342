import type { LintRule } from "../lint-rule.js";
import { dropColumn, dropTable, renameColumn, renameTable } from "./breaking-rules.js";
import { addColumnVolatileDefault, addRequiredColumn, changeColumnType, jsonNotJsonb } from "./column-rules.js";
import { addCheckValidating, addForeignKeyValidating, setNotNull } from "./constraint-rules.js";
import { addIndexNotConcurrent, addPrimaryKey, addUniqueConstraint, dropIndexNotConcurrent } from "./index-rules.js";
import { mysqlTableCopy } from "./mysql-table-copy.js";
import { mixedDdlAndDml, rawSql } from "./raw-rules.js";

/**
 * Every rule `mortar lint` applies, in RULE_IDS order (one per id; test/unit/lint-rules
 * checks it). Each is a pure function of an operation and the lint context.
 */
export const RULES: readonly LintRule[] = [
  addIndexNotConcurrent,
  dropIndexNotConcurrent,
  addForeignKeyValidating,
  addCheckValidating,
  setNotNull,
  addRequiredColumn,
  addColumnVolatileDefault,
  changeColumnType,
  renameColumn,
  renameTable,
  dropColumn,
  dropTable,
  addUniqueConstraint,
  addPrimaryKey,
  jsonNotJsonb,
  mysqlTableCopy,
  mixedDdlAndDml,
  rawSql,
];
