import { ConfigError } from "../errors.js";
import type { TenantList } from "./define-config.js";

export type { TenantConnection, TenantList, TenantsSetting } from "./define-config.js";

const FORMS = 'a list of connections, { glob: "…" }, { schemas: [...] | "pattern" }, { databases: "pattern" } or a function returning one';

/**
 * Check the shape of `tenants` (after calling it, when it is a function); every error
 * names the key it is about, e.g. `tenants[2].id`.
 */
export function validateTenantList(value: unknown, where = "tenants"): TenantList {
  if (Array.isArray(value)) {
    value.forEach((item, index) => validateTenantConnection(item, `${where}[${index}]`));
    return value as TenantList;
  }
  if (!value || typeof value !== "object") throw new ConfigError(`${where} must be ${FORMS}, got ${describe(value)}`);
  const keys = Object.keys(value);
  const form = keys.filter((key) => key === "glob" || key === "schemas" || key === "databases");
  if (form.length !== 1 || keys.length !== 1) {
    throw new ConfigError(`${where} must be ${FORMS}, got an object with ${keys.length ? keys.map((k) => `"${k}"`).join(", ") : "no keys"}`);
  }
  const record = value as Record<string, unknown>;
  const key = form[0]!;
  const setting = record[key];
  if (key === "schemas" && Array.isArray(setting)) {
    setting.forEach((schema, index) => {
      if (typeof schema !== "string" || schema === "") throw new ConfigError(`${where}.schemas[${index}] must be a schema name, got ${describe(schema)}`);
    });
    if (setting.length === 0) throw new ConfigError(`${where}.schemas is an empty list: name at least one schema`);
  } else if (typeof setting !== "string" || setting === "") {
    const wanted = key === "glob" ? "a file pattern such as \"databases/tenants/*.sqlite\"" : key === "schemas" ? "a list of schema names or a LIKE pattern" : "a LIKE pattern such as \"tenant_%\"";
    throw new ConfigError(`${where}.${key} must be ${wanted}, got ${describe(setting)}`);
  }
  return value as TenantList;
}

function validateTenantConnection(item: unknown, where: string): void {
  if (typeof item === "string") {
    if (!/^[a-z][a-z0-9+.-]*:/i.test(item)) throw new ConfigError(`${where} must be a connection URL or { id, … }, got "${item}"`);
    return;
  }
  if (!item || typeof item !== "object" || Array.isArray(item)) {
    throw new ConfigError(`${where} must be a connection URL or { id, url } / { id, driver, database, … }, got ${describe(item)}`);
  }
  const { id } = item as { id?: unknown };
  if (typeof id !== "string" || id === "") throw new ConfigError(`${where}.id must be a non-empty string, got ${describe(id)}`);
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return `"${value}"`;
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}
