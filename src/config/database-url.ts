import { ConfigError } from "../errors.js";
import type { ConnectionSettings } from "./define-config.js";
import { driverFromAlias } from "./driver-alias.js";

/**
 * Parse `postgres://user:pass@host:5432/db`, `mysql://…`, `sqlite:relative/path`,
 * `sqlite:///absolute/path` or `sqlite::memory:` into connection settings.
 * `setting` names where the URL came from, for the error message.
 */
export function parseDatabaseUrl(url: string, setting: string): ConnectionSettings {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (!scheme) throw new ConfigError(`${setting} "${redact(url)}" is not a URL: expected e.g. postgres://user@host/db or sqlite:path`);
  const driver = driverFromAlias(scheme, setting);
  if (driver === "sqlite") {
    const rest = url.slice(scheme.length + 1);
    const path = rest.startsWith("//") ? rest.slice(2) : rest;
    if (!path) throw new ConfigError(`${setting} "${url}" names no SQLite file: use sqlite:path/to/file.sqlite`);
    return { driver, database: decodeURIComponent(path) };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`${setting} "${redact(url)}" is not a valid URL`);
  }
  if (!parsed.hostname) throw new ConfigError(`${setting} "${redact(url)}" names no host`);
  const port = parsed.port ? Number(parsed.port) : undefined;
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  return {
    driver,
    host: parsed.hostname.replace(/^\[(.*)\]$/, "$1"),
    ...(port !== undefined ? { port } : {}),
    ...(database ? { database } : {}),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
  };
}

/**
 * Never print a password back. In a malformed URL the password may hold an unencoded
 * `/` or `@`, so everything from the user's colon to the LAST `@` is masked.
 */
export function redact(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):.*@/i, "$1:***@");
}
