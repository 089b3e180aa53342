import { ConfigError, UsageError } from "../errors.js";
import type { MortarConfig } from "./define-config.js";

/** Safe execution as configured: flags, then the environment (and `.env`), then the config file. */
export interface SafeExecutionConfig {
  readonly ddlLockTimeout?: number;
  readonly retries?: number;
}

export interface SafeFlags {
  readonly safe?: boolean;
  readonly ddlLockTimeout?: number;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Whether a run uses safe execution (spec §9) and with what settings; undefined when
 * it does not. Each bad value is an error naming where it came from (exit 2).
 */
export function resolveSafeExecution(flags: SafeFlags, env: Env, config: MortarConfig, shown: string | undefined): SafeExecutionConfig | undefined {
  const file = shown ?? "the config file";
  if (config.safe !== undefined && typeof config.safe !== "boolean") throw new ConfigError(`${file}: safe must be true or false, got ${JSON.stringify(config.safe)}`);
  const envSafe = env.MORTAR_SAFE;
  if (envSafe !== undefined && envSafe !== "" && !/^(true|false|1|0)$/i.test(envSafe)) {
    throw new ConfigError(`MORTAR_SAFE must be true or false, got "${envSafe}"`);
  }
  const safe = flags.safe === true || (envSafe !== undefined && envSafe !== "" ? /^(true|1)$/i.test(envSafe) : config.safe === true);
  const ddlLockTimeout =
    flags.ddlLockTimeout ??
    number(env.MORTAR_DDL_LOCK_TIMEOUT, "MORTAR_DDL_LOCK_TIMEOUT", "a positive number of seconds", (n) => n > 0) ??
    checked(config.ddlLockTimeout, `${file}: ddlLockTimeout`, "a positive number of seconds", (n) => n > 0);
  const retries =
    number(env.MORTAR_RETRIES, "MORTAR_RETRIES", "a whole number (0 or more)", (n) => Number.isInteger(n) && n >= 0) ??
    checked(config.retries, `${file}: retries`, "a whole number (0 or more)", (n) => Number.isInteger(n) && n >= 0);
  if (!safe) {
    if (flags.ddlLockTimeout !== undefined) {
      throw new UsageError("--ddl-lock-timeout applies to safe execution: add --safe (or safe: true in the config file)");
    }
    return undefined;
  }
  return { ...(ddlLockTimeout !== undefined ? { ddlLockTimeout } : {}), ...(retries !== undefined ? { retries } : {}) };
}

function number(value: string | undefined, name: string, expected: string, ok: (n: number) => boolean): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !ok(n)) throw new ConfigError(`${name} must be ${expected}, got "${value}"`);
  return n;
}

function checked(value: unknown, name: string, expected: string, ok: (n: number) => boolean): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || !ok(value)) throw new ConfigError(`${name} must be ${expected}, got ${JSON.stringify(value)}`);
  return value;
}
