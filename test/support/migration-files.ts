import { createProject } from "./project.js";

/**
 * A throwaway project whose `migrations` folder holds `files` (file name → source),
 * for a test that runs a Migrator on a connection of its own; deleted after `fn`.
 */
export async function withMigrationFiles<T>(files: Record<string, string>, fn: (migrationsDir: string) => Promise<T>): Promise<T> {
  const project = createProject("module");
  try {
    for (const [name, source] of Object.entries(files)) project.write(`migrations/${name}`, source);
    return await fn(`${project.dir}/migrations`);
  } finally {
    project.cleanup();
  }
}
