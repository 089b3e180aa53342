// load-2000, Mortar's side: discover the folder and import every migration file the
// way `mortar migrate` does (TypeScript through Mortar's loader).
// Usage: node load-mortar.mjs <repo> <migrations-dir>
import { pathToFileURL } from "node:url";
import { join } from "node:path";

const [repo, dir] = process.argv.slice(2);
const { discoverMigrations } = await import(pathToFileURL(join(repo, "dist/src/migration/file-source.js")).href);
const { loadMigrations } = await import(pathToFileURL(join(repo, "dist/src/migration/loader.js")).href);
const { files } = await discoverMigrations(dir);
const classes = await loadMigrations(files);
if (classes.length !== files.length) process.exit(1);
