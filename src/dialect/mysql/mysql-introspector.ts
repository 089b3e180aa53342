import type { CheckInfo, ColumnInfo, ForeignKeyInfo, IndexInfo, Introspector, Queryable } from "../dialect.js";

/** information_schema text can come back as a Buffer (binary collations on MySQL 8). */
function text(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Buffer.isBuffer(value)) return value.toString("utf8");
  return String(value);
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * MariaDB keeps integer display widths (`int(10) unsigned`, `year(4)`) that MySQL 8
 * dropped; both mean the same type, so they are reported in MySQL 8's spelling.
 * `tinyint(1)` keeps its width: it is how a boolean column is recognised.
 */
function normalizeType(columnType: string): string {
  const type = columnType.toLowerCase();
  if (type.startsWith("tinyint(1)")) return type;
  return type.replace(/^(tinyint|smallint|mediumint|int|bigint|year)\(\d+\)/, "$1");
}

const NUMERIC_DATA_TYPES = new Set(["tinyint", "smallint", "mediumint", "int", "bigint", "decimal", "float", "double", "bit", "year"]);

/**
 * The default as an SQL expression, or null when the column has none. MariaDB already
 * reports expressions (`'abc'`, `0`, `current_timestamp()`) and writes an absent or NULL
 * default as the text `NULL`; MySQL 8 reports literal strings unquoted and marks
 * expressions with DEFAULT_GENERATED, so its literals are quoted here to match.
 */
function normalizeDefault(raw: unknown, dataType: string, extra: string, mariadb: boolean): string | null {
  if (raw === null || raw === undefined) return null;
  const value = text(raw);
  if (mariadb) return value === "NULL" ? null : value;
  if (/default_generated/i.test(extra) || NUMERIC_DATA_TYPES.has(dataType)) return value;
  if (/^current_timestamp/i.test(value)) return value;
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;
}

// MariaDB lists system-versioned tables under their own type; they are base tables too.
const BASE_TABLES = "table_type in ('BASE TABLE', 'SYSTEM VERSIONED')";

/** Reads the current database (`database()`) through information_schema; table names are bound. */
export class MysqlIntrospector implements Introspector {
  readonly #db: Queryable;
  #mariadb: Promise<boolean> | undefined;

  constructor(db: Queryable) {
    this.#db = db;
  }

  async getTables(): Promise<string[]> {
    return this.#names(BASE_TABLES);
  }

  async hasTable(table: string): Promise<boolean> {
    // Compared here, not in SQL: information_schema's collation may ignore case.
    const rows = await this.#db.query(
      `select table_name as \`name\` from information_schema.tables where table_schema = database() and ${BASE_TABLES} and table_name = ?`,
      [table],
    );
    return rows.some((row) => text(row.name) === table);
  }

  async getViews(): Promise<string[]> {
    return this.#names("table_type = 'VIEW'");
  }

  async getColumns(table: string): Promise<ColumnInfo[]> {
    const mariadb = await this.#isMariadb();
    const rows = await this.#db.query(
      "select column_name as `name`, data_type as `type_name`, column_type as `type`, is_nullable as `nullable`, " +
        "column_default as `default`, extra as `extra`, column_comment as `comment` " +
        "from information_schema.columns where table_schema = database() and table_name = ? order by ordinal_position",
      [table],
    );
    const jsonColumns = mariadb ? await this.#mariadbJsonColumns(table, rows) : new Set<string>();
    return rows.map((row) => {
      const name = text(row.name);
      const json = jsonColumns.has(name);
      const typeName = json ? "json" : text(row.type_name).toLowerCase();
      const extra = text(row.extra);
      const comment = text(row.comment);
      return {
        name,
        typeName,
        type: json ? "json" : normalizeType(text(row.type)),
        nullable: text(row.nullable) === "YES",
        default: normalizeDefault(row.default, typeName, extra, mariadb),
        autoIncrement: /auto_increment/i.test(extra),
        comment: comment === "" ? null : comment,
      };
    });
  }

  async getIndexes(table: string): Promise<IndexInfo[]> {
    const rows = await this.#db.query(
      "select index_name as `name`, column_name as `column`, non_unique as `non_unique`, index_type as `type` " +
        "from information_schema.statistics where table_schema = database() and table_name = ? " +
        "order by index_name, seq_in_index",
      [table],
    );
    const indexes = new Map<string, { columns: string[]; unique: boolean; type: string }>();
    for (const row of rows) {
      const name = text(row.name);
      let index = indexes.get(name);
      if (!index) {
        index = { columns: [], unique: Number(row.non_unique) === 0, type: text(row.type).toLowerCase() };
        indexes.set(name, index);
      }
      index.columns.push(text(row.column));
    }
    return [...indexes]
      .map(([name, index]) => ({ name, ...index, primary: name === "PRIMARY" }))
      .sort((a, b) => byName(a.name, b.name));
  }

  async getForeignKeys(table: string): Promise<ForeignKeyInfo[]> {
    const rows = await this.#db.query(
      "select k.constraint_name as `name`, k.column_name as `column`, k.referenced_table_name as `foreign_table`, " +
        "k.referenced_column_name as `foreign_column`, r.delete_rule as `on_delete`, r.update_rule as `on_update` " +
        "from information_schema.key_column_usage k " +
        "join information_schema.referential_constraints r on r.constraint_schema = k.constraint_schema " +
        "and r.constraint_name = k.constraint_name and r.table_name = k.table_name " +
        "where k.table_schema = database() and k.table_name = ? and k.referenced_table_name is not null " +
        "order by k.constraint_name, k.ordinal_position",
      [table],
    );
    const keys = new Map<string, { columns: string[]; foreignTable: string; foreignColumns: string[]; onDelete: string; onUpdate: string }>();
    for (const row of rows) {
      const name = text(row.name);
      let key = keys.get(name);
      if (!key) {
        key = {
          columns: [],
          foreignTable: text(row.foreign_table),
          foreignColumns: [],
          onDelete: text(row.on_delete).toLowerCase(),
          onUpdate: text(row.on_update).toLowerCase(),
        };
        keys.set(name, key);
      }
      key.columns.push(text(row.column));
      key.foreignColumns.push(text(row.foreign_column));
    }
    return [...keys].map(([name, key]) => ({ name, ...key })).sort((a, b) => byName(a.name, b.name));
  }

  /**
   * MariaDB keeps a check written inside a column definition as a column-level check,
   * always named after its column (it accepts no other name there), and lists the
   * table's checks by table; MySQL 8 has only table-level checks, found through
   * table_constraints.
   */
  async getChecks(table: string): Promise<CheckInfo[]> {
    const mariadb = await this.#isMariadb();
    const rows = await this.#db.query(
      mariadb
        ? "select constraint_name as `name`, check_clause as `clause`, level as `level` from information_schema.check_constraints " +
            "where constraint_schema = database() and table_name = ?"
        : "select cc.constraint_name as `name`, cc.check_clause as `clause`, 'Table' as `level` " +
            "from information_schema.table_constraints tc join information_schema.check_constraints cc " +
            "on cc.constraint_schema = tc.constraint_schema and cc.constraint_name = tc.constraint_name " +
            "where tc.table_schema = database() and tc.table_name = ? and tc.constraint_type = 'CHECK'",
      [table],
    );
    return rows
      .map((row) => {
        const name = text(row.name);
        const columnLevel = text(row.level) === "Column";
        return { name, columns: columnLevel ? [name] : [], expression: text(row.clause), columnLevel };
      })
      .sort((a, b) => byName(a.name, b.name));
  }

  async #names(condition: string): Promise<string[]> {
    const rows = await this.#db.query(
      `select table_name as \`name\` from information_schema.tables where table_schema = database() and ${condition}`,
    );
    return rows.map((row) => text(row.name)).sort(byName);
  }

  /**
   * MariaDB stores `json` as `longtext` guarded by a `json_valid(col)` check; that check
   * is how a json column is told apart from a plain longtext one.
   */
  async #mariadbJsonColumns(table: string, columns: Record<string, unknown>[]): Promise<Set<string>> {
    const longtext = columns.filter((row) => text(row.type_name).toLowerCase() === "longtext").map((row) => text(row.name));
    if (longtext.length === 0) return new Set();
    const checks = await this.#db.query(
      "select check_clause as `clause` from information_schema.check_constraints " +
        "where constraint_schema = database() and table_name = ? and level = 'Column'",
      [table],
    );
    const clauses = new Set(checks.map((row) => text(row.clause)));
    return new Set(longtext.filter((name) => clauses.has(`json_valid(\`${name.replaceAll("`", "``")}\`)`)));
  }

  /** MariaDB and MySQL 8 spell column defaults differently; asked once per introspector. */
  #isMariadb(): Promise<boolean> {
    this.#mariadb ??= this.#db
      .query("select version() as `version`")
      .then((rows) => /mariadb/i.test(text(rows[0]?.version)))
      .catch((error: unknown) => {
        this.#mariadb = undefined;
        throw error;
      });
    return this.#mariadb;
  }
}
