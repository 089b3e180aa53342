import { readDotenv } from "../config/load-config.js";
import { UsageError } from "../errors.js";

type Env = Readonly<Record<string, string | undefined>>;

/** `NODE_ENV` or `APP_ENV` says production, in any case and with stray spaces (` Production `). */
export function isProduction(env: Env = process.env): boolean {
  return [env.NODE_ENV, env.APP_ENV].some((value) => value?.trim().toLowerCase() === "production");
}

/**
 * The environment the guard judges: the process environment over `.env` in `cwd`, read
 * by the same loader as the configuration, so a production flag kept only in `.env`
 * counts too.
 */
export async function productionEnvironment(cwd: string = process.cwd()): Promise<Env> {
  return { ...(await readDotenv(cwd)), ...process.env };
}

/**
 * In production a command that changes the database asks first on a TTY and refuses
 * without one, unless `--force` (Laravel's ConfirmableTrait).
 */
export async function confirmProduction(command: string, force: boolean, cwd: string = process.cwd()): Promise<void> {
  if (force || !isProduction(await productionEnvironment(cwd))) return;
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
