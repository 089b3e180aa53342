import { relative } from "node:path";

/** A path as messages show it: relative to the working folder, or absolute when that is empty. */
export function displayPath(path: string): string {
  return relative(process.cwd(), path) || path;
}
