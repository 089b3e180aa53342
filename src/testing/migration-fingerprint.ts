import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

// The file-name rule of spec §2, restated here because `mortar/testing` imports only
// Mortar's public API (so it shares the one copy of Mortar that "mortar" loads).
const MIGRATION_FILE = /^\d{4}_\d{2}_\d{2}_\d{6}_[a-z0-9_]+\.(ts|mts|cts|js|mjs|cjs)$/;

/**
 * A short hash of every migration file under `folder` (sub-folders included): its path
 * inside the folder and its bytes, plus the tracking table's name. A template built from
 * the same files carries the same fingerprint in its name, so any edit, added or removed
 * file gives a new template and an unchanged project reuses the one it built before.
 * Bytes, not Mortar's canonical checksums: hashing is a few milliseconds for hundreds of
 * files, and a rebuild on a whitespace edit is cheaper than a template that might be stale.
 */
export function migrationFingerprint(folder: string, table: string): string {
  const hash = createHash("sha256").update(`table\0${table}\0`);
  for (const path of migrationFiles(folder, "")) {
    hash.update(`${path}\0`).update(readFileSync(join(folder, path))).update("\0");
  }
  return hash.digest("hex").slice(0, 12);
}

function migrationFiles(root: string, under: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(root, under), { withFileTypes: true })) {
    const path = under ? `${under}/${entry.name}` : entry.name;
    if (entry.isDirectory()) found.push(...migrationFiles(root, path));
    else if (MIGRATION_FILE.test(entry.name)) found.push(path);
  }
  return found.sort();
}

/** A short stable hash of any text (the project key in template names). */
export function shortHash(text: string, length = 8): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}
