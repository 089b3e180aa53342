/** A migration file found on disk. Its identity is the file name without the extension. */
export interface MigrationFile {
  /** `2026_01_01_000000_create_users_table` */
  readonly name: string;
  /** Absolute path. */
  readonly path: string;
}

/** `YYYY_MM_DD_HHMMSS_snake_case_description.(ts|mts|cts|js|mjs|cjs)` */
export const MIGRATION_FILE_PATTERN = /^(\d{4}_\d{2}_\d{2}_\d{6}_[a-z0-9_]+)\.(ts|mts|cts|js|mjs|cjs)$/;

/** Names that are never migrations and need no warning (declarations, source maps, dotfiles). */
export function isIgnoredSilently(fileName: string): boolean {
  return fileName.startsWith(".") || /\.d\.[mc]?ts$/.test(fileName) || fileName.endsWith(".map");
}
