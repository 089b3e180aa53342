import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export type WriteOutcome = "created" | "kept" | "overwritten";

/**
 * Write a scaffolding file (`init`, `stub:publish`) unless it is there already: a file the
 * user has is theirs, and is replaced only when `force` says so.
 */
export function writeIfAbsent(path: string, content: string, force = false): WriteOutcome {
  const existed = existsSync(path);
  if (existed && !force) return "kept";
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return existed ? "overwritten" : "created";
}
