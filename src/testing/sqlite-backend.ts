import { closeSync, constants, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ConnectionConfig } from "../index.js";
import type { TemplateSpec, TestDatabaseBackend } from "./backend.js";
import { COPY_PREFIX, isStaleCopy, projectTemplatePrefix } from "./copy-names.js";
import { migrateTemplate } from "./template-migration.js";

/** Where SQLite templates and copies live (one folder for every project on the machine). */
export const SQLITE_FOLDER = join(tmpdir(), "mortar-testing");

// The database, SQLite's own side files, and the migration lock Mortar keeps beside it.
const SIDE_FILES = ["", "-wal", "-shm", "-journal", ".mortar-lock"];

/**
 * SQLite: the template is a file, built under another name and renamed into place (so a
 * template that exists is complete), with a lock file so parallel workers build it once.
 * A copy is a file copy (a copy-on-write clone where the file system offers one): about a
 * millisecond for two hundred tables, so no pool is kept.
 */
export class SqliteBackend implements TestDatabaseBackend {
  readonly #spec: TemplateSpec;
  readonly #templateFile: string;

  constructor(spec: TemplateSpec) {
    this.#spec = spec;
    this.#templateFile = this.#file(spec.template);
  }

  async prepareTemplate(): Promise<void> {
    mkdirSync(SQLITE_FOLDER, { recursive: true });
    this.#removeLeftovers();
    if (existsSync(this.#templateFile)) return;
    const release = await lockFile(`${this.#templateFile}.lock`, () => existsSync(this.#templateFile));
    if (!release) return; // another process built it while we waited
    try {
      if (existsSync(this.#templateFile)) return;
      const building = this.#file(`${this.#spec.template}.build-${process.pid}`);
      removeDatabaseFile(building);
      try {
        await migrateTemplate({ driver: "sqlite", database: building }, this.#spec.migrationsPath, this.#spec.migrationsTable);
        renameSync(building, this.#templateFile);
      } finally {
        removeDatabaseFile(building);
      }
    } finally {
      release();
    }
  }

  async createCopy(name: string): Promise<void> {
    copyFileSync(this.#templateFile, this.#file(name), constants.COPYFILE_FICLONE);
  }

  async dropCopy(name: string): Promise<void> {
    removeDatabaseFile(this.#file(name));
  }

  dropCopySync(name: string): void {
    removeDatabaseFile(this.#file(name));
  }

  configFor(name: string): ConnectionConfig {
    return { driver: "sqlite", database: this.#file(name) };
  }

  async close(): Promise<void> {}

  #file(name: string): string {
    return join(SQLITE_FOLDER, `${name}.sqlite`);
  }

  /** Older templates of this project, and copies whose process is gone or that are older than an hour. */
  #removeLeftovers(): void {
    const older = projectTemplatePrefix(this.#spec.projectKey);
    for (const entry of readdirSync(SQLITE_FOLDER)) {
      const name = entry.slice(0, entry.indexOf("."));
      const builder = /\.build-(\d+)\./.exec(entry)?.[1];
      const oldTemplate = name.startsWith(older) && name !== this.#spec.template && !builder;
      const leftover = name.startsWith(COPY_PREFIX) ? isStaleCopy(name) || !processAlive(copyPid(name)) : builder !== undefined && !processAlive(Number(builder));
      if (oldTemplate || leftover) rmSync(join(SQLITE_FOLDER, entry), { force: true });
    }
  }
}

function removeDatabaseFile(file: string): void {
  for (const suffix of SIDE_FILES) rmSync(`${file}${suffix}`, { force: true });
}

function copyPid(name: string): number {
  return Number(/_(\d+)_[0-9a-z]+$/.exec(name)?.[1] ?? 0);
}

function processAlive(pid: number): boolean {
  if (!pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Take the lock file `path` (it holds the owner's pid): resolves to its release, or to
 * undefined as soon as `done()` says the work it guards was finished by another process.
 * A lock whose owner died is taken over.
 */
async function lockFile(path: string, done: () => boolean): Promise<(() => void) | undefined> {
  for (;;) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (done()) return undefined;
    if (lockAbandoned(path)) rmSync(path, { force: true });
    else await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function lockAbandoned(path: string): boolean {
  try {
    const owner = Number(readFileSync(path, "utf8"));
    // An empty file is a lock being written right now, unless it has stayed empty a while.
    if (!owner) return Date.now() - statSync(path).mtimeMs > 5000;
    return !processAlive(owner);
  } catch {
    return false;
  }
}
