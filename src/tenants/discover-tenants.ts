import { basename, extname } from "node:path";
import { connectionFromSettings, type ResolvedConfig } from "../config/load-config.js";
import { validateTenantList, type TenantConnection, type TenantList } from "../config/tenants-setting.js";
import { connect } from "../dialect/connect.js";
import type { ConnectionConfig } from "../dialect/dialect.js";
import { briefMessage, ConfigError, MortarError } from "../errors.js";
import type { Tenant } from "./tenant.js";

export interface DiscoveredTenants {
  readonly tenants: Tenant[];
  /** Worth telling, not worth stopping for (a glob that matched no file). */
  readonly warnings: string[];
}

/**
 * Expand config `tenants` into the fleet: call it if it is a function, check its shape,
 * then list the files, schemas or databases it names. Tenant ids are unique.
 * Throws `ConfigError` (naming the key) for a bad setting.
 */
export async function discoverTenants(config: ResolvedConfig): Promise<DiscoveredTenants> {
  const setting = config.tenants;
  if (setting === undefined) {
    throw new ConfigError(`${config.configFile ?? "the config file"} sets no \`tenants\`: add tenants to defineConfig({ … }) to run a command on a fleet`);
  }
  let list: unknown = setting;
  if (typeof setting === "function") {
    try {
      list = await setting();
    } catch (error) {
      throw new ConfigError(`tenants: the function failed: ${briefMessage(error)}`, { cause: error });
    }
  }
  const tenants = await expand(validateTenantList(list), config);
  assertUniqueIds(tenants);
  const warnings = tenants.length === 0 ? [`tenants: ${describeForm(list as TenantList)} names no tenant`] : [];
  return { tenants, warnings };
}

async function expand(list: TenantList, config: ResolvedConfig): Promise<Tenant[]> {
  if (isList(list)) return list.map((item, index) => listed(item, index, config.cwd));
  if ("glob" in list) return globbed(list.glob, config.cwd);
  if ("schemas" in list) return schemas(list.schemas, config.connection);
  return databases(list.databases, config.connection);
}

/** Array.isArray does not narrow a readonly array out of a union. */
function isList(list: TenantList): list is readonly TenantConnection[] {
  return Array.isArray(list);
}

function listed(item: TenantConnection, index: number, cwd: string): Tenant {
  const where = `tenants[${index}]`;
  if (typeof item === "string") {
    const connection = connectionFromSettings({ url: item }, cwd, where);
    return { id: databaseId(connection), connection };
  }
  const { id, ...settings } = item;
  return { id, connection: connectionFromSettings(settings, cwd, `${where} ("${id}")`) };
}

/** A bare URL's id: its database name (for SQLite, the file name without extension). */
function databaseId(connection: ConnectionConfig): string {
  const database = connection.database ?? "";
  return connection.driver === "sqlite" ? basename(database, extname(database)) : database;
}

async function globbed(pattern: string, cwd: string): Promise<Tenant[]> {
  // Loaded only for a glob fleet: no other command pays for it.
  const { glob } = await import("tinyglobby");
  const files = (await glob(pattern, { cwd, absolute: true, onlyFiles: true })).sort();
  return files.map((file) => ({ id: basename(file, extname(file)), connection: { driver: "sqlite", database: file } }));
}

async function schemas(setting: readonly string[] | string, connection: ConnectionConfig): Promise<Tenant[]> {
  if (connection.driver !== "postgres") {
    throw new ConfigError(`tenants.schemas needs a PostgreSQL default connection, and it is ${connection.driver}`);
  }
  const names =
    typeof setting === "string"
      ? await listNames(connection, "select nspname as name from pg_catalog.pg_namespace where nspname like $1 order by nspname", setting)
      : [...setting];
  return names.map((schema) => ({ id: schema, connection, schema }));
}

async function databases(pattern: string, connection: ConnectionConfig): Promise<Tenant[]> {
  if (connection.driver !== "mysql") {
    throw new ConfigError(`tenants.databases needs a MySQL or MariaDB default connection, and it is ${connection.driver}`);
  }
  const names = await listNames(
    connection,
    "select schema_name as name from information_schema.schemata where schema_name like ? order by schema_name",
    pattern,
  );
  return names.map((database) => ({ id: database, connection: { ...connection, database } }));
}

async function listNames(connection: ConnectionConfig, sql: string, pattern: string): Promise<string[]> {
  let db;
  try {
    db = await connect(connection);
    const rows = await db.read<{ name?: string; NAME?: string }>(sql, [pattern]);
    return rows.map((row) => String(row.name ?? row.NAME));
  } catch (error) {
    if (error instanceof MortarError) throw error;
    throw new ConfigError(`tenants: cannot list the tenants matching "${pattern}": ${briefMessage(error)}`, { cause: error });
  } finally {
    await db?.close().catch(() => undefined);
  }
}

function assertUniqueIds(tenants: readonly Tenant[]): void {
  const seen = new Set<string>();
  for (const tenant of tenants) {
    if (seen.has(tenant.id)) throw new ConfigError(`tenants: two tenants have the id "${tenant.id}": ids must be unique`);
    seen.add(tenant.id);
  }
}

function describeForm(list: TenantList): string {
  if (isList(list)) return "the list";
  const [key, value] = Object.entries(list)[0]!;
  return `${key} ${JSON.stringify(value)}`;
}
