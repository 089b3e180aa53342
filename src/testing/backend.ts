import type { ConnectionConfig } from "../index.js";

/** What every dialect's backend is told about the project it serves. */
export interface TemplateSpec {
  /** The configured connection (a URL already folded in). Copies live on the same server. */
  readonly base: ConnectionConfig;
  readonly migrationsPath: string;
  readonly migrationsTable: string;
  /** Hash of the connection's identity and the migrations folder: names this project's templates. */
  readonly projectKey: string;
  /** `mortar_tpl_<project>_<fingerprint>`. */
  readonly template: string;
}

/**
 * How one dialect keeps a migrated template and makes copies of it. A copy is named by the
 * caller (copy-names.ts); the backend only creates, opens and drops it.
 */
export interface TestDatabaseBackend {
  /**
   * Make sure a complete template exists: reuse one whose name (so whose migration files)
   * matches, else build it by running every migration — under a lock that other worker
   * processes honour, so exactly one of them builds it. Older templates of the same project
   * and copies abandoned by crashed runs are dropped on the way.
   */
  prepareTemplate(): Promise<void>;
  /** A new database `name`, a fully migrated copy of the template. */
  createCopy(name: string): Promise<void>;
  dropCopy(name: string): Promise<void>;
  /** Remove a copy without waiting (process exit); only where the dialect can (SQLite files). */
  dropCopySync?(name: string): void;
  /** Settings that open copy `name`. */
  configFor(name: string): ConnectionConfig;
  /** Close any connection the backend keeps (it reopens one when asked again). */
  close(): Promise<void>;
}
