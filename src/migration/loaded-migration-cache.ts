import { statSync } from "node:fs";
import { loadMigrations, type LoadedMigration } from "./loader.js";
import type { MigrationFile } from "./migration-file.js";

interface Entry {
  /** Size and modification time when loaded: an edited file is loaded again. */
  readonly stamp: string;
  readonly loaded: Promise<LoadedMigration>;
}

/**
 * Loaded migrations shared by many Migrators in one process (a tenant fleet runs the same
 * files on hundreds of databases): each file is read, hashed and imported once, and
 * every later run, concurrent ones included, reuses that load. A load that fails is
 * forgotten, so the next run tries again and its error names the file.
 */
export class LoadedMigrationCache {
  readonly #entries = new Map<string, Entry>();

  async load(files: readonly MigrationFile[]): Promise<LoadedMigration[]> {
    const stamps = files.map((file) => stampOf(file.path));
    const missing = files.filter((file, i) => stamps[i] === undefined || this.#entries.get(file.path)?.stamp !== stamps[i]);
    if (missing.length > 0) {
      const batch = loadMigrations(missing);
      missing.forEach((file, i) => {
        const entry: Entry = { stamp: stamps[files.indexOf(file)] ?? "", loaded: batch.then((all) => all[i]!) };
        this.#entries.set(file.path, entry);
        // Whoever awaits the load sees its error; this only forgets it.
        entry.loaded.catch(() => {
          if (this.#entries.get(file.path) === entry) this.#entries.delete(file.path);
        });
      });
    }
    return Promise.all(files.map((file) => this.#entries.get(file.path)?.loaded ?? loadMigrations([file]).then(([one]) => one!)));
  }

  /** How many files are held (for tests and benchmarks). */
  get size(): number {
    return this.#entries.size;
  }
}

function stampOf(path: string): string | undefined {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats ? `${stats.size}:${stats.mtimeMs}` : undefined;
}
