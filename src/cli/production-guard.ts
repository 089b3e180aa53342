import { UsageError } from "../errors.js";

export function isProduction(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV === "production" || env.APP_ENV === "production";
}

/**
 * In production a command that changes the database asks first on a TTY and refuses
 * without one, unless `--force` (Laravel's ConfirmableTrait).
 */
export async function confirmProduction(command: string, force: boolean): Promise<void> {
  if (force || !isProduction()) return;
  if (!process.stdin.isTTY) {
    throw new UsageError(`${command} in production (NODE_ENV/APP_ENV=production) needs --force when there is no terminal to confirm`);
  }
  // Loaded only here: readline costs every other run its start-up time.
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`Application in production. Run ${command}? (yes/no) [no] `);
    if (!/^y(es)?$/i.test(answer.trim())) throw new UsageError(`${command} cancelled`);
  } finally {
    rl.close();
  }
}
