import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DriverMissingError } from "../errors.js";

/**
 * A database driver package. The drivers are optional peer dependencies of Mortar: a
 * PostgreSQL project installs `pg` and never compiles better-sqlite3, so each driver is
 * imported only when a connection of its dialect opens.
 */
export interface DriverPackage {
  /** The database, as people name it in a message ("PostgreSQL"). */
  readonly database: string;
  /** The npm package to install ("mysql2"). */
  readonly packageName: string;
  /** What is imported from it ("mysql2/promise"). */
  readonly specifier: string;
}

export const SQLITE_DRIVER: DriverPackage = { database: "SQLite", packageName: "better-sqlite3", specifier: "better-sqlite3" };
export const POSTGRES_DRIVER: DriverPackage = { database: "PostgreSQL", packageName: "pg", specifier: "pg" };
export const MYSQL_DRIVER: DriverPackage = { database: "MySQL", packageName: "mysql2", specifier: "mysql2/promise" };

/**
 * Import a driver with `load` (a literal `import("pg")`, so the types and the bundler's
 * externals follow the specifier). When the package cannot be found beside Mortar, it is
 * looked up from the project the command runs in — a Mortar installed globally or linked
 * uses the project's own driver — and only then reported missing, with the command that
 * installs it. Any other failure (a driver that is installed but broken) is rethrown as is.
 */
export async function importDriver<T>(driver: DriverPackage, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (!isPackageMissing(error, driver)) throw error;
    const fromProject = resolveFromProject(driver.specifier);
    if (fromProject === undefined) throw new DriverMissingError(driver.database, driver.packageName, { cause: error });
    return (await import(pathToFileURL(fromProject).href)) as T;
  }
}

/** Node's error for a bare specifier whose package is not installed (not a missing file inside it). */
function isPackageMissing(error: unknown, driver: DriverPackage): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof message !== "string") return false;
  // import(): "Cannot find package 'mysql2' imported from …"; require(): "Cannot find module 'mysql2/promise'".
  if (code === "ERR_MODULE_NOT_FOUND") return message.includes(`package '${driver.packageName}'`);
  return code === "MODULE_NOT_FOUND" && message.includes(`module '${driver.specifier}'`);
}

function resolveFromProject(specifier: string): string | undefined {
  try {
    return createRequire(join(process.cwd(), "package.json")).resolve(specifier);
  } catch {
    return undefined;
  }
}
