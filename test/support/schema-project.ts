import { cpSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, type TempProject } from "./project.js";

/**
 * The schema-dump fixture: the Laravel-style corpus (68 migrations: every Laravel table
 * shape, checks, a view, collations, stored columns, change()s) followed by
 * test/fixtures/schema-project (every column type, foreign-key actions, partial and
 * expression indexes, views on views, comments, alters, and each dialect's own objects).
 */
export const SCHEMA_PROJECT_SOURCES = [join(REPO_ROOT, "test", "fixtures", "laravel-corpus"), join(REPO_ROOT, "test", "fixtures", "schema-project")];

export function schemaProjectMigrationCount(): number {
  return SCHEMA_PROJECT_SOURCES.reduce((n, dir) => n + readdirSync(dir).filter((f) => f.endsWith(".ts")).length, 0);
}

/** Copy every fixture migration into the project's databases/migrations. */
export function copySchemaProject(project: TempProject): string {
  const target = join(project.dir, "databases", "migrations");
  for (const source of SCHEMA_PROJECT_SOURCES) cpSync(source, target, { recursive: true });
  return target;
}
