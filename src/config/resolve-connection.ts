import type { ConnectionConfig } from "../dialect/dialect.js";
import { normalizeConnectionSettings } from "./connection-parameters.js";
import { parseDatabaseUrl } from "./database-url.js";
import type { ConnectionSettings } from "./define-config.js";
import { rememberSecret } from "./redact.js";

/**
 * Fold `url` into the separate settings (explicit ones win) and bring URL-style
 * spellings (`sslmode`, `application_name`, `ssl: true`) to the typed fields, so the
 * driver, the migration lock's name and messages all see one shape. Idempotent: the
 * result has no `url` left.
 */
export function resolveConnection(config: ConnectionConfig, where = "url"): ConnectionConfig {
  const normalized = normalizeConnectionSettings(config as ConnectionSettings, where) as ConnectionConfig;
  rememberSecret(normalized.password);
  if (!normalized.url) return normalized;
  const { driver: _driver, ...fromUrl } = parseDatabaseUrl(normalized.url, where);
  const explicit = Object.fromEntries(Object.entries(normalized).filter(([, value]) => value !== undefined));
  return { ...fromUrl, ...explicit, url: undefined, driver: config.driver } as ConnectionConfig;
}
