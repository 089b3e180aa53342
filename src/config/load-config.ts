import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import type { ConnectionConfig } from "../dialect/dialect.js";
import { briefMessage, ConfigError, messageOf } from "../errors.js";
import { importModule } from "../util/import-module.js";
import { parseDatabaseUrl } from "./database-url.js";
import type { ConnectionSettings, MortarConfig } from "./define-config.js";
import { normalizeConnectionSettings } from "./connection-parameters.js";
import { driverFromAlias, isDriverAlias } from "./driver-alias.js";
import { rememberSecret } from "./redact.js";
import { resolveSafeExecution, type SafeExecutionConfig, type SafeFlags } from "./safe-config.js";
import type { TenantsSetting } from "./tenants-setting.js";

export const CONFIG_FILE_NAMES = ["mortar.config.ts", "mortar.config.mts", "mortar.config.js", "mortar.config.mjs"];
export const DEFAULT_SQLITE_FILE = "databases/database.sqlite";
export const DEFAULT_MIGRATIONS_PATH = "databases/migrations";
export const DEFAULT_SEEDERS_PATH = "databases/seeders";

export interface ConfigFlags extends SafeFlags {
  readonly connection?: string;
  readonly path?: string;
  readonly config?: string;
}

export interface ResolvedConfig {
  readonly connectionName: string;
  readonly connection: ConnectionConfig;
  readonly migrationsPath: string;
  readonly migrationsTable: string;
  /** Folder of seeder files (`seeders.path`; `--path` names the migrations folder only). */
  readonly seedersPath: string;
  /** Safe execution's settings when a run uses it (`--safe`, `safe: true`), else undefined. */
  readonly safe?: SafeExecutionConfig;
  /** Config `tenants` as written (checked and expanded by src/tenants/). */
  readonly tenants?: TenantsSetting;
  /** The working folder relative paths (SQLite files, tenant globs) resolve from. */
  readonly cwd: string;
  /** The config file that was read, if any (relative to cwd). */
  readonly configFile?: string;
  /** `types` of the config file: `out` resolved against the working folder. */
  readonly types: { readonly out?: string; readonly json?: string };
  /** Settings for another named connection (a migration's `static connection`). */
  connectionNamed(name: string): ConnectionConfig;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Resolve configuration with the precedence of spec §5: command-line flags, then the
 * process environment, then `.env` in the working folder, then `mortar.config.*`,
 * then defaults (SQLite at databases/database.sqlite).
 */
export async function loadConfig(options: { cwd?: string; flags?: ConfigFlags; env?: Env } = {}): Promise<ResolvedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const flags = options.flags ?? {};
  const file = await readConfigFile(cwd, flags.config);
  const env: Env = { ...(await readDotenv(cwd)), ...(options.env ?? process.env) };
  const config = file?.config ?? {};
  const connections = config.connections ?? {};
  const configured = Object.keys(connections);
  const defaultName = config.default ?? configured[0] ?? "default";
  if (config.default !== undefined && configured.length > 0 && !(config.default in connections)) {
    throw new ConfigError(`${file!.shown}: default connection "${config.default}" is not among connections (${configured.join(", ")})`);
  }

  const envConnection = env.DB_CONNECTION ?? env.DB_DRIVER;
  const selected = flags.connection ?? (envConnection && envConnection in connections ? envConnection : defaultName);

  const build = (name: string, applyEnv: boolean, setting: string): ConnectionConfig => {
    let settings: ConnectionSettings;
    if (name in connections) settings = connections[name]!;
    else if (name === defaultName && configured.length === 0) settings = {};
    else if (isDriverAlias(name)) settings = { driver: name };
    else {
      throw new ConfigError(
        `${setting}: connection "${name}" is not configured${configured.length ? ` (configured: ${configured.join(", ")})` : " (no mortar.config file defines connections)"}`,
      );
    }
    settings = normalizeConnectionSettings(settings, `connection "${name}"`);
    if (settings.url) settings = { ...settings, ...parseDatabaseUrl(settings.url, `connection "${name}" url`), url: undefined };
    if (applyEnv) settings = applyEnvironment(settings, env, connections);
    return finish(settings, cwd, name);
  };

  const usesEnv = (name: string) => name === defaultName || (!(name in connections) && isDriverAlias(name)) || name === envConnection;
  const connection = build(selected, usesEnv(selected), flags.connection ? "--connection" : "DB_CONNECTION");
  const table = env.MIGRATIONS_TABLE ?? config.migrations?.table ?? "migrations";
  if (!table) throw new ConfigError("MIGRATIONS_TABLE is empty: name the tracking table");
  return {
    connectionName: selected,
    connection,
    migrationsPath: resolve(cwd, flags.path ?? config.migrations?.path ?? DEFAULT_MIGRATIONS_PATH),
    migrationsTable: table,
    seedersPath: resolve(cwd, config.seeders?.path ?? DEFAULT_SEEDERS_PATH),
    ...withSafe(resolveSafeExecution(flags, env, config, file?.shown)),
    ...(config.tenants !== undefined ? { tenants: config.tenants } : {}),
    cwd,
    configFile: file?.shown,
    types: typesSettings(config.types, cwd, file?.shown),
    connectionNamed: (name) => build(name, false, "static connection"),
  };
}

function typesSettings(types: MortarConfig["types"], cwd: string, shown: string | undefined): ResolvedConfig["types"] {
  if (types === undefined) return {};
  for (const key of ["out", "json"] as const) {
    const value: unknown = types[key];
    if (value !== undefined && (typeof value !== "string" || value.trim() === "")) {
      throw new ConfigError(`${shown ?? "config"}: types.${key} must be a non-empty string`);
    }
  }
  return { ...(types.out ? { out: resolve(cwd, types.out) } : {}), ...(types.json ? { json: types.json } : {}) };
}

function withSafe(safe: SafeExecutionConfig | undefined): { safe?: SafeExecutionConfig } {
  return safe ? { safe } : {};
}

function applyEnvironment(settings: ConnectionSettings, env: Env, connections: Record<string, unknown>): ConnectionSettings {
  let result: ConnectionSettings = { ...settings };
  const driverValue = env.DB_CONNECTION ?? env.DB_DRIVER;
  if (driverValue && !(driverValue in connections)) {
    result = { ...result, driver: driverFromAlias(driverValue, env.DB_CONNECTION ? "DB_CONNECTION" : "DB_DRIVER") };
  }
  const port = env.DB_PORT;
  if (port !== undefined && port !== "") {
    if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
      throw new ConfigError(`DB_PORT must be a port number (1-65535), got "${port}"`);
    }
    result = { ...result, port: Number(port) };
  }
  const set = (key: keyof ConnectionSettings, value: string | undefined) => {
    if (value !== undefined && value !== "") result = { ...result, [key]: value };
  };
  const lock = env.DB_LOCK?.toLowerCase();
  if (lock) {
    if (lock !== "auto" && lock !== "table" && lock !== "session") throw new ConfigError(`DB_LOCK must be auto, table or session, got "${env.DB_LOCK}"`);
    result = { ...result, lock };
  }
  const lease = env.DB_LOCK_LEASE;
  if (lease) {
    if (!/^\d+(\.\d+)?$/.test(lease) || Number(lease) <= 0) throw new ConfigError(`DB_LOCK_LEASE must be a positive number of seconds, got "${lease}"`);
    result = { ...result, lockLease: Number(lease) };
  }
  set("host", env.DB_HOST);
  set("database", env.DB_DATABASE);
  set("username", env.DB_USERNAME ?? env.DB_USER);
  if (env.DB_PASSWORD !== undefined) result = { ...result, password: env.DB_PASSWORD };
  rememberSecret(result.password);
  const url = env.DATABASE_URL ?? env.DB_URL;
  if (url) result = { ...result, ...parseDatabaseUrl(url, env.DATABASE_URL ? "DATABASE_URL" : "DB_URL") };
  return result;
}

/**
 * A connection written out in full (a tenant of config `tenants`): URL folded in, driver
 * aliases resolved, a SQLite path made absolute from `cwd`. `name` is for errors.
 */
export function connectionFromSettings(settings: ConnectionSettings, cwd: string, name: string): ConnectionConfig {
  let normalized = normalizeConnectionSettings(settings, name);
  if (normalized.url) normalized = { ...normalized, ...parseDatabaseUrl(normalized.url, `${name} url`), url: undefined };
  return finish(normalized, cwd, name);
}

function finish(settings: ConnectionSettings, cwd: string, name: string): ConnectionConfig {
  const driver = driverFromAlias(settings.driver ?? "sqlite", `connection "${name}" driver`);
  if (driver !== "sqlite") {
    const { filename: _ignored, ...rest } = settings;
    if (!rest.database) {
      throw new ConfigError(`connection "${name}" (${driver}) names no database: set DB_DATABASE, DATABASE_URL or database in the config file`);
    }
    return { ...rest, driver };
  }
  const file = settings.database ?? settings.filename ?? DEFAULT_SQLITE_FILE;
  // The migration lock's settings are the only others SQLite takes.
  const lock = { ...(settings.lock !== undefined ? { lock: settings.lock } : {}), ...(settings.lockLease !== undefined ? { lockLease: settings.lockLease } : {}) };
  if (file === ":memory:" || file.startsWith("file:")) return { driver, database: file, ...lock };
  // The folder is created by the SQLite driver when a command really opens the file, never here.
  return { driver, database: isAbsolute(file) ? file : resolve(cwd, file), ...lock };
}

/**
 * `.env` in `cwd` as plain variables (empty when there is none). The configuration and
 * the production guard both read it through here, so they never disagree.
 * dotenv is loaded only when there is a `.env` to read (it costs ~10 ms of start-up).
 */
export async function readDotenv(cwd: string): Promise<Record<string, string>> {
  const path = resolve(cwd, ".env");
  if (!existsSync(path)) return {};
  try {
    const { parse } = await import("dotenv");
    return parse(readFileSync(path));
  } catch (error) {
    throw new ConfigError(`.env cannot be read: ${messageOf(error)}`);
  }
}

async function readConfigFile(cwd: string, explicit?: string): Promise<{ config: MortarConfig; shown: string } | undefined> {
  let path: string | undefined;
  if (explicit) {
    path = resolve(cwd, explicit);
    if (!existsSync(path)) throw new ConfigError(`--config ${explicit}: file not found`);
  } else {
    path = CONFIG_FILE_NAMES.map((n) => resolve(cwd, n)).find((p) => existsSync(p));
  }
  if (!path) return undefined;
  const shown = relative(cwd, path) || path;
  let module: Record<string, unknown>;
  try {
    module = await importModule(path);
  } catch (error) {
    throw new ConfigError(`${shown} failed to load: ${briefMessage(error)}`, { cause: error });
  }
  let config = module.default;
  if (config && typeof config === "object" && "default" in config && !("connections" in config)) {
    config = (config as { default: unknown }).default;
  }
  if (!config || typeof config !== "object") {
    throw new ConfigError(`${shown} must export default defineConfig({ … })`);
  }
  return { config: config as MortarConfig, shown };
}
