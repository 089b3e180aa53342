import { ConfigError } from "../errors.js";
import { applyUrlParameters } from "./connection-parameters.js";
import type { ConnectionSettings } from "./define-config.js";
import { driverFromAlias } from "./driver-alias.js";
import { redact, rememberSecret } from "./redact.js";

export { redact };

const EXAMPLE = "expected e.g. postgres://user:password@host:5432/database or sqlite:path/to/file.sqlite";

/**
 * The one URL parser: `postgres://user:pass@host:5432/db?sslmode=require`, `mysql://…`,
 * `sqlite:relative/path`, `sqlite:///absolute/path` or `sqlite::memory:` into connection
 * settings. `setting` names where the URL came from (`DATABASE_URL`), for the error;
 * the password is never part of one.
 *
 * @example
 * parseDatabaseUrl("postgres://app:s%40cret@db/app?sslmode=verify-full", "DATABASE_URL");
 * // { driver: "postgres", host: "db", database: "app", username: "app", password: "s@cret", sslMode: "verify-full" }
 */
export function parseDatabaseUrl(url: string, setting: string): ConnectionSettings {
  rememberPasswordOf(url);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (!scheme) throw new ConfigError(`${setting} "${redact(url)}" is not a URL: ${EXAMPLE}`);
  const driver = driverFromAlias(scheme, setting);
  if (driver === "sqlite") return { driver, database: sqlitePath(url, scheme, setting) };

  if (!url.slice(scheme.length + 1).startsWith("//")) {
    throw new ConfigError(`${setting} "${redact(url)}" has no "//" after "${scheme}:": ${EXAMPLE}`);
  }
  if (/%(?![0-9a-f]{2})/i.test(url)) {
    throw new ConfigError(`${setting} holds a "%" that is not followed by two hex digits: percent-encode a literal % as %25 (in a password too)`);
  }
  // libpq's `postgres://user@/db?host=/socket/folder`: the WHATWG parser refuses a user
  // without a host, so a placeholder host stands in and is dropped again below.
  const hostless = /^[^:]+:\/\/[^/?#]*@(?=[/?#]|$)/.test(url);
  let parsed: URL;
  try {
    parsed = new URL(hostless ? url.replace(/^([^:]+:\/\/[^/?#]*@)/, "$1placeholder.invalid") : url);
  } catch {
    throw new ConfigError(`${setting} "${redact(url)}" is not a valid URL (percent-encode @ / : # ? and spaces in the user name and password): ${EXAMPLE}`);
  }
  if (parsed.hash) {
    throw new ConfigError(`${setting} "${redact(url)}" has a "#" fragment: percent-encode a # in the password as %23`);
  }
  const password = decoded(parsed.password, setting, "password");
  rememberSecret(password);
  const parameters = applyUrlParameters(driver, parsed.searchParams, setting);
  const host = hostless ? "" : parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  if (!host && !parameters.host && !parameters.socketPath) {
    throw new ConfigError(`${setting} "${redact(url)}" names no host (for a socket use ?host=/path/to/folder or ?socketPath=…)`);
  }
  const port = parsed.port ? Number(parsed.port) : undefined;
  const database = decoded(parsed.pathname.replace(/^\//, ""), setting, "database name");
  const username = decoded(parsed.username, setting, "user name");
  return {
    driver,
    ...(host ? { host: decoded(host, setting, "host") } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(database ? { database } : {}),
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    ...parameters,
  };
}

function sqlitePath(url: string, scheme: string, setting: string): string {
  const rest = url.slice(scheme.length + 1);
  const path = rest.startsWith("//") ? rest.slice(2) : rest;
  if (!path) throw new ConfigError(`${setting} "${url}" names no SQLite file: use sqlite:path/to/file.sqlite`);
  return decoded(path, setting, "file path");
}

function decoded(part: string, setting: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new ConfigError(`${setting} has a malformed percent-encoding in the ${what}: percent-encode a literal % as %25`);
  }
}

/**
 * What a password looks like in a URL that may not parse: from the first `:` after the
 * scheme's `//` to the last `@`. Remembered before anything can fail, so that even an
 * error about a malformed URL cannot quote it.
 */
function rememberPasswordOf(url: string): void {
  const rest = /^[a-z][a-z0-9+.-]*:(?:\/\/)?(.*)$/is.exec(url)?.[1] ?? url;
  const at = rest.lastIndexOf("@");
  const colon = rest.indexOf(":");
  if (at < 0 || colon < 0 || colon > at) return;
  const raw = rest.slice(colon + 1, at);
  rememberSecret(raw);
  try {
    rememberSecret(decodeURIComponent(raw));
  } catch {
    // A malformed encoding: the raw text is all there is to mask.
  }
}
