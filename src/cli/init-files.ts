/**
 * What `mortar init` writes into a new project: a config file that leaves the connection
 * to the environment (so one file serves every machine), an `.env.example` to copy to
 * `.env`, and the lines `.gitignore` needs so neither a local database nor secrets get
 * committed.
 */

export const CONFIG_FILE = "mortar.config.ts";

export const CONFIG_TEXT = `import { defineConfig } from "mortar";

// The connection comes from the environment or .env (see .env.example): DB_CONNECTION,
// DB_HOST, DB_PORT, DB_DATABASE, DB_USERNAME, DB_PASSWORD, or DATABASE_URL.
// Named connections, picked with --connection NAME (or --database NAME), go here:
//   connections: { reporting: { driver: "postgres", host: "127.0.0.1", database: "reports" } },
export default defineConfig({
  migrations: { path: "databases/migrations", table: "migrations" },
});
`;

export const ENV_EXAMPLE_FILE = ".env.example";

export const ENV_EXAMPLE_TEXT = `# Copy to .env (kept out of git) and fill in.
DB_CONNECTION=sqlite
DB_DATABASE=databases/database.sqlite

# PostgreSQL:
# DB_CONNECTION=pgsql
# DB_HOST=127.0.0.1
# DB_PORT=5432
# DB_DATABASE=app
# DB_USERNAME=app
# DB_PASSWORD=

# MySQL / MariaDB:
# DB_CONNECTION=mysql
# DB_HOST=127.0.0.1
# DB_PORT=3306
# DB_DATABASE=app
# DB_USERNAME=app
# DB_PASSWORD=

# Or one URL instead of the settings above:
# DATABASE_URL=postgres://app:secret@127.0.0.1:5432/app
`;

export const FOLDERS = ["databases/migrations", "databases/seeders"] as const;

export const GITIGNORE_FILE = ".gitignore";

export const GITIGNORE_LINES = ["databases/*.sqlite", ".env"] as const;

/** The lines of `wanted` that `existing` (a .gitignore's text) does not have yet. */
export function missingLines(existing: string, wanted: readonly string[]): string[] {
  const have = new Set(existing.split(/\r?\n/).map((line) => line.trim()));
  return wanted.filter((line) => !have.has(line));
}
