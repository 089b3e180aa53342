import { ConfigError } from "../../errors.js";

/** Safe execution's settings as a user gives them (`safe: true`, `ddlLockTimeout`, `retries`). */
export interface SafeExecutionOptions {
  /** Seconds a migration's statement may wait for a lock before the attempt is abandoned. Default 5. */
  readonly ddlLockTimeout?: number;
  /** Further attempts after a lock timeout or deadlock. Default 5. */
  readonly retries?: number;
}

export interface SafeSettings {
  readonly ddlLockTimeout: number;
  readonly retries: number;
}

export const DEFAULT_DDL_LOCK_TIMEOUT = 5;
export const DEFAULT_RETRIES = 5;

/**
 * The settings of a safe run, or undefined when it is off. `where` names the setting in
 * an error (`ddlLockTimeout` in the library, the flag or config key in the CLI).
 */
export function safeSettings(
  safe: boolean | SafeExecutionOptions | undefined,
  where: { ddlLockTimeout: string; retries: string } = { ddlLockTimeout: "ddlLockTimeout", retries: "retries" },
): SafeSettings | undefined {
  if (!safe) return undefined;
  const options = safe === true ? {} : safe;
  const ddlLockTimeout = options.ddlLockTimeout ?? DEFAULT_DDL_LOCK_TIMEOUT;
  const retries = options.retries ?? DEFAULT_RETRIES;
  if (typeof ddlLockTimeout !== "number" || !Number.isFinite(ddlLockTimeout) || ddlLockTimeout <= 0) {
    throw new ConfigError(`${where.ddlLockTimeout} must be a positive number of seconds, got ${JSON.stringify(ddlLockTimeout)}`);
  }
  if (typeof retries !== "number" || !Number.isInteger(retries) || retries < 0) {
    throw new ConfigError(`${where.retries} must be a whole number of retries (0 or more), got ${JSON.stringify(retries)}`);
  }
  return { ddlLockTimeout, retries };
}

/**
 * How long to wait before attempt `attempt + 1`: exponential from 250 ms, capped at
 * 10 s, with jitter (half to all of it), so runs that collide do not collide again.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(10_000, 250 * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}
