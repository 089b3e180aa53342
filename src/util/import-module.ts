import { extname } from "node:path";
import { pathToFileURL } from "node:url";

/** File extensions imported through tsx (and compiled by esbuild for migrations). */
export const TYPESCRIPT = new Set([".ts", ".mts", ".cts"]);

let typescriptReady: Promise<void> | undefined;

/**
 * Teach this process to import TypeScript, once, and only when a TypeScript file is
 * actually loaded (status and JavaScript-only runs never pay for it). tsx registers
 * both the ESM hooks and the CommonJS require hook, so `.ts` files work in ESM and
 * CommonJS user projects alike, with no set-up on the user's side.
 */
export function enableTypeScript(): Promise<void> {
  typescriptReady ??= (async () => {
    const [esm, cjs] = await Promise.all([import("tsx/esm/api"), import("tsx/cjs/api")]);
    esm.register();
    cjs.register();
  })();
  return typescriptReady;
}

/** Import a module by path, through tsx when it is TypeScript. */
export async function importModule(path: string): Promise<Record<string, unknown>> {
  if (TYPESCRIPT.has(extname(path))) await enableTypeScript();
  return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
}
