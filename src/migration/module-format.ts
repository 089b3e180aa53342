import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/**
 * How Node reads a `.js` file in `folder`: as an ES module when the nearest package.json
 * says `"type": "module"`, as CommonJS otherwise (also when there is no package.json,
 * or it cannot be parsed — Node's own default).
 */
export function moduleFormatOf(folder: string): "esm" | "cjs" {
  let dir = resolve(folder);
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, "utf8")) as { type?: unknown }).type === "module" ? "esm" : "cjs";
      } catch {
        return "cjs";
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return "cjs";
    dir = parent;
  }
}
