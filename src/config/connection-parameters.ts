import type { DialectName, SslMode } from "../dialect/dialect.js";
import { ConfigError } from "../errors.js";
import type { ConnectionSettings } from "./define-config.js";

/** The settings a URL query parameter (or its spelling in a config object) may set. */
type ParameterTarget = "sslMode" | "sslRootCert" | "sslCert" | "sslKey" | "socketPath" | "host" | "applicationName" | "connectTimeout" | "charset";

/**
 * Every query parameter Mortar understands, per driver; anything else is refused, so a
 * misspelt `sslmode` can never quietly mean plaintext. Names follow libpq for
 * PostgreSQL and the mysql client / mysql2 for MySQL.
 */
const PARAMETERS: Record<Exclude<DialectName, "sqlite">, Record<string, ParameterTarget>> = {
  postgres: {
    sslmode: "sslMode",
    ssl: "sslMode",
    sslrootcert: "sslRootCert",
    sslcert: "sslCert",
    sslkey: "sslKey",
    host: "host",
    application_name: "applicationName",
    connect_timeout: "connectTimeout",
  },
  mysql: {
    "ssl-mode": "sslMode",
    sslmode: "sslMode",
    ssl: "sslMode",
    "ssl-ca": "sslRootCert",
    sslrootcert: "sslRootCert",
    "ssl-cert": "sslCert",
    "ssl-key": "sslKey",
    charset: "charset",
    socketPath: "socketPath",
    socket: "socketPath",
    connect_timeout: "connectTimeout",
  },
};

/** libpq's modes; MySQL's `ssl-mode` names map onto them. */
const SSL_MODES: Record<string, SslMode> = {
  disable: "disable",
  prefer: "prefer",
  require: "require",
  "verify-ca": "verify-ca",
  "verify-full": "verify-full",
  disabled: "disable",
  preferred: "prefer",
  required: "require",
  verify_ca: "verify-ca",
  verify_identity: "verify-full",
  // `ssl=true` / `ssl: true` keep what they meant to node-postgres and Node's TLS before:
  // an encrypted connection whose certificate and host name are checked.
  true: "verify-full",
  "1": "verify-full",
  false: "disable",
  "0": "disable",
};

/**
 * Apply URL query parameters to settings. `setting` names where they came from
 * (`DATABASE_URL`), for the error; a value is never echoed when it could be a secret.
 */
export function applyUrlParameters(
  driver: Exclude<DialectName, "sqlite">,
  parameters: URLSearchParams,
  setting: string,
): Partial<ConnectionSettings> {
  const known = PARAMETERS[driver];
  const result: Record<string, unknown> = {};
  for (const [name, value] of parameters) {
    const target = Object.hasOwn(known, name) ? known[name] : undefined;
    if (!target) {
      throw new ConfigError(
        `${setting}: unknown parameter "${name}" for ${driver} (Mortar understands ${Object.keys(known).join(", ")})`,
      );
    }
    if (target === "host" && value.startsWith("/")) result.socketPath = value;
    else result[target] = parameterValue(target, value, `${setting} parameter "${name}"`);
  }
  return result as Partial<ConnectionSettings>;
}

/**
 * A config object may spell the same settings as the URL does (`sslmode`,
 * `sslrootcert`, `application_name`, `ssl: true`, …) or in camelCase; both end up in the
 * camelCase fields, checked like URL values.
 */
export function normalizeConnectionSettings(settings: ConnectionSettings, where: string): ConnectionSettings {
  const raw = settings as Record<string, unknown>;
  const result: Record<string, unknown> = { ...raw };
  const aliases: Record<string, ParameterTarget> = { ...PARAMETERS.mysql, ...PARAMETERS.postgres };
  delete aliases.host;
  delete aliases.ssl;
  for (const [name, target] of Object.entries(aliases)) {
    if (name === target || raw[name] === undefined) continue;
    result[target] ??= raw[name];
    delete result[name];
  }
  if (typeof raw.ssl === "boolean" || typeof raw.ssl === "string") {
    result.sslMode ??= raw.ssl;
    delete result.ssl;
  }
  for (const target of ["sslMode", "connectTimeout"] as const) {
    const value = result[target];
    if (value !== undefined && typeof value !== "object") result[target] = parameterValue(target, String(value), `${where} ${target}`);
  }
  return result as ConnectionSettings;
}

function parameterValue(target: ParameterTarget, value: string, where: string): unknown {
  if (target === "sslMode") {
    const mode = Object.hasOwn(SSL_MODES, value.toLowerCase()) ? SSL_MODES[value.toLowerCase()] : undefined;
    if (!mode) throw new ConfigError(`${where} must be one of disable, prefer, require, verify-ca, verify-full (MySQL: DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY), got "${value}"`);
    return mode;
  }
  if (target === "connectTimeout") {
    if (!/^\d+$/.test(value)) throw new ConfigError(`${where} must be a whole number of seconds, got "${value}"`);
    return Number(value);
  }
  if (value === "") throw new ConfigError(`${where} is empty`);
  return value;
}
