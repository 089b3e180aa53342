import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (tests run from dist/test/support). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const MORTAR_BIN = join(REPO_ROOT, "bin", "mortar.js");

export interface RunOutput {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface TempProject {
  readonly dir: string;
  write(path: string, content: string): string;
  remove(path: string): void;
  /** Run the real `mortar` binary in the project with extra environment variables. */
  mortar(args: readonly string[], env?: Record<string, string>): Promise<RunOutput>;
  cleanup(): void;
}

/**
 * A throwaway user project: a package.json of the given module type and
 * node_modules/mortar linked to this repository, as `npm install mortar` would give.
 */
export function createProject(type: "module" | "commonjs"): TempProject {
  const dir = mkdtempSync(join(tmpdir(), `mortar-e2e-${type}-`));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "user-app", private: true, type }, null, 2));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(REPO_ROOT, join(dir, "node_modules", "mortar"), "dir");
  return {
    dir,
    write(path, content) {
      const full = join(dir, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
      return full;
    },
    remove(path) {
      rmSync(join(dir, path), { force: true, recursive: true });
    },
    mortar: (args, env = {}) => runNode([MORTAR_BIN, ...args], dir, env),
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Variables that would configure Mortar (or the test runner) in a child instead of what the test gives it. */
const MORTAR_SETTINGS = /^(DB_|DATABASE_URL|MIGRATIONS_TABLE|NODE_ENV|APP_ENV|NODE_TEST)/;

/** This process's environment without anything that configures Mortar, for a child process. */
export function inheritedEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !MORTAR_SETTINGS.test(key)) env[key] = value;
  }
  return env;
}

export function runNode(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<RunOutput> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...args], {
      cwd,
      env: { ...inheritedEnvironment(), NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
  });
}
