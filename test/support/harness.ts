import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "./project.js";

/**
 * Start a harness script (`scripts/galera.sh`, `scripts/pgbouncer.sh`) unless it is
 * already running, and say how to stop it again (only what this call started). A harness
 * that cannot start fails the suite with the script's own words: the cluster tests are
 * never skipped silently. MORTAR_SKIP_CLUSTER=1 skips them on purpose (a machine without
 * the Debian packages), and the caller is told so.
 */
export function startHarness(script: "galera.sh" | "pgbouncer.sh"): { skip: string | undefined; stop: () => void } {
  if (process.env.MORTAR_SKIP_CLUSTER === "1") return { skip: "MORTAR_SKIP_CLUSTER=1", stop: () => {} };
  const path = join(REPO_ROOT, "scripts", script);
  const run = (command: string) => execFileSync("bash", [path, command], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 });
  try {
    run("status");
    return { skip: undefined, stop: () => {} };
  } catch {
    // Not running: start it below.
  }
  try {
    run("start");
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(
      `scripts/${script} start failed, so the cluster tests cannot run (set MORTAR_SKIP_CLUSTER=1 to skip them on a machine without the harness):\n${stdout ?? ""}${stderr ?? String(error)}`,
    );
  }
  return {
    skip: undefined,
    stop: () => {
      try {
        run("stop");
      } catch {
        // Best effort: a harness left running is found by the next start.
      }
    },
  };
}
