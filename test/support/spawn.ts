import { spawn, type ChildProcess } from "node:child_process";
import { inheritedEnvironment, MORTAR_BIN, type RunOutput } from "./project.js";

export interface Finished extends RunOutput {
  /** The signal that ended the process (`SIGKILL` after kill()), or null. */
  readonly signal: NodeJS.Signals | null;
  /** Wall time from spawn to exit. */
  readonly elapsedMs: number;
}

/** A `mortar` process still running: its output so far, a way to wait for a line, and a kill switch. */
export interface RunningMortar {
  readonly child: ChildProcess;
  /** Everything written to stdout so far. */
  stdout(): string;
  stderr(): string;
  /** True once the process has exited. */
  readonly done: boolean;
  /** Resolves when `stdout` matches (or `count` lines match); rejects on exit or timeout. */
  waitFor(pattern: RegExp, options?: { count?: number; timeoutMs?: number }): Promise<void>;
  /** Send a signal (SIGKILL by default); a no-op once the process has exited. */
  kill(signal?: NodeJS.Signals): void;
  /** Resolves at exit, never rejects. */
  readonly exited: Promise<Finished>;
}

/**
 * Start the real `mortar` binary in `cwd` without waiting for it, with the same clean
 * environment as `project.mortar()` (no inherited DB_* or NODE_ENV, NO_COLOR set).
 */
export function startMortar(cwd: string, args: readonly string[], env: Record<string, string> = {}): RunningMortar {
  const started = performance.now();
  const child = spawn(process.execPath, [MORTAR_BIN, ...args], {
    cwd,
    env: { ...inheritedEnvironment(), NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let done = false;
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((listener) => listener());
  child.stdout!.on("data", (d: Buffer) => {
    stdout += d.toString();
    notify();
  });
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<Finished>((resolve) => {
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (done) return;
      done = true;
      notify();
      resolve({ code: code ?? -1, signal, stdout, stderr, elapsedMs: Math.round(performance.now() - started) });
    };
    child.on("error", (error) => {
      stderr += `spawn failed: ${error.message}\n`;
      finish(-1, null);
    });
    child.on("close", finish);
  });

  function waitFor(pattern: RegExp, { count = 1, timeoutMs = 30_000 }: { count?: number; timeoutMs?: number } = {}): Promise<void> {
    const global = new RegExp(pattern.source, pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`);
    const matches = () => (stdout.match(global) ?? []).length >= count;
    return new Promise((resolve, reject) => {
      const check = () => {
        if (matches()) {
          cleanup();
          resolve();
        } else if (done) {
          cleanup();
          reject(new Error(`mortar ${args.join(" ")} exited before printing ${pattern} (x${count})\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`mortar ${args.join(" ")} did not print ${pattern} (x${count}) within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });
  }

  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    get done() {
      return done;
    },
    waitFor,
    kill(signal = "SIGKILL") {
      if (!done) child.kill(signal);
    },
    exited,
  };
}
