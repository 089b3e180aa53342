import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

/**
 * Mortar's own version, from the package.json above this module. Found by walking up
 * because the code runs both as separate modules (dist/src/…) and bundled (dist/mortar.mjs).
 */
export function packageVersion(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        const parsed = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string; version?: string };
        if (parsed.name === "mortar") return (cached = parsed.version ?? "0");
      } catch {
        // keep walking
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return (cached = "0");
    dir = parent;
  }
}
