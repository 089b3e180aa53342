import type { DialectName } from "../dialect/dialect.js";
import { ConfigError } from "../errors.js";

const ALIASES: Record<string, DialectName> = {
  sqlite: "sqlite",
  sqlite3: "sqlite",
  postgres: "postgres",
  postgresql: "postgres",
  pgsql: "postgres",
  pg: "postgres",
  mysql: "mysql",
  mariadb: "mysql",
};

export function isDriverAlias(value: string): boolean {
  return value.toLowerCase() in ALIASES;
}

/** `pgsql` → `postgres`, `mariadb` → `mysql`; anything else is a configuration error naming `setting`. */
export function driverFromAlias(value: string, setting: string): DialectName {
  const driver = ALIASES[value.toLowerCase()];
  if (!driver) {
    throw new ConfigError(`${setting}: unknown database driver "${value}" (use sqlite, postgres, pgsql, mysql or mariadb)`);
  }
  return driver;
}
