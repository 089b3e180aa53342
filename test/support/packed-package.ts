import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./project.js";

/** What `npm pack --json` reports about the tarball. */
export interface PackReport {
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly entryCount: number;
  readonly files: readonly { readonly path: string; readonly size: number }[];
}

/**
 * Pack this repository as `npm publish` would (scripts off: the tests run the build that
 * is already in dist/). With `destination`, the tarball is written there; without, it is
 * only listed (`--dry-run`).
 */
export function packMortar(destination?: string): PackReport {
  const args = ["pack", "--json", "--ignore-scripts", ...(destination ? ["--pack-destination", destination] : ["--dry-run"])];
  const output = execFileSync("npm", args, { cwd: REPO_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const [report] = JSON.parse(output) as PackReport[];
  if (!report) throw new Error(`npm pack printed no report: ${output}`);
  return report;
}

/** Runtime dependencies of the published package (commander is bundled into dist/mortar.mjs). */
const RUNTIME_DEPENDENCIES = ["dotenv", "esbuild", "pluralize", "tsx"];

/**
 * A user's project with Mortar installed from the packed tarball, its runtime
 * dependencies, and only the given driver packages (linked from this repository's
 * node_modules), as `npm install mortar <driver>` would leave it.
 */
export function installPacked(tarball: string, projectDir: string, drivers: readonly string[]): string {
  writeFileSync(join(projectDir, "package.json"), JSON.stringify({ name: "user-app", private: true, type: "module" }, null, 2));
  const mortarDir = join(projectDir, "node_modules", "mortar");
  mkdirSync(mortarDir, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", mortarDir, "--strip-components=1"]);
  for (const name of [...RUNTIME_DEPENDENCIES, ...drivers]) {
    symlinkSync(join(REPO_ROOT, "node_modules", name), join(projectDir, "node_modules", name), "dir");
  }
  return mortarDir;
}
