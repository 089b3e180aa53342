import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { discoverMigrations } from "./file-source.js";
import { guessTable, studly, toSnakeCase } from "./migration-name.js";
import { DEFAULT_STUBS, fillStub, STUB_FILES, toCommonJs, type StubKind } from "./migration-stubs.js";
import { moduleFormatOf } from "./module-format.js";
import { displayPath } from "../util/display-path.js";

export interface CreateMigrationOptions {
  /** Folder to write to. */
  readonly path: string;
  /** Write a `schema.create(TABLE)` stub. */
  readonly create?: string;
  /** Write a `schema.table(TABLE)` stub. */
  readonly table?: string;
  /** Override "now" (tests). */
  readonly now?: Date;
  /**
   * File extension. Default `ts`. A `.js` file is written as an ES module or as CommonJS,
   * as Node will read it there (the nearest package.json's `"type"`).
   */
  readonly extension?: "ts" | "js" | "mts" | "mjs";
  /**
   * A folder of the project's own templates (`migration.create.stub`,
   * `migration.update.stub`, `migration.stub`); one that exists there replaces the default
   * for TypeScript files. The command line passes `./stubs`.
   */
  readonly stubsPath?: string;
}

/**
 * Write a new migration file and return its path. Guesses like Laravel:
 * `create_flights_table` / `create_flights` → create `flights`;
 * `add_votes_to_users_table` / `add_votes_to_users` (or `_from_`, `_in_`) → alter `users`.
 */
export async function createMigration(name: string, options: CreateMigrationOptions): Promise<string> {
  const snake = toSnakeCase(name ?? "");
  if (!snake) throw new UsageError("make:migration needs a name, e.g. mortar make:migration create_users_table");
  if (!/^[a-z0-9_]+$/.test(snake)) {
    throw new UsageError(`migration name "${name}" may only hold letters, digits and underscores`);
  }
  if (existsSync(options.path)) {
    const { files } = await discoverMigrations(options.path);
    const clash = files.find((f) => f.name.slice(18) === snake);
    if (clash) {
      throw new UsageError(`a migration named "${snake}" already exists: ${displayPath(clash.path)}`);
    }
  }
  const guessed = guessTable(snake);
  const create = options.create ?? (options.table ? undefined : guessed?.create ? guessed.table : undefined);
  const table = options.table ?? (create ? undefined : guessed?.table);
  const kind: StubKind = create ? "create" : table ? "update" : "blank";
  const extension = options.extension ?? "ts";
  const file = join(options.path, `${timestamp(options.now ?? new Date())}_${snake}.${extension}`);
  mkdirSync(options.path, { recursive: true });
  const source = fillStub(template(kind, extension, options), { className: studly(snake), table: create ?? table });
  const commonJs = extension === "js" && moduleFormatOf(options.path) === "cjs";
  writeFileSync(file, commonJs ? toCommonJs(source) : source, { flag: "wx" });
  return file;
}

/** The project's own template for TypeScript output when it has one, else the default. */
function template(kind: StubKind, extension: string, options: CreateMigrationOptions): string {
  if (options.stubsPath && (extension === "ts" || extension === "mts")) {
    const custom = join(options.stubsPath, STUB_FILES[kind]);
    if (existsSync(custom)) return readFileSync(custom, "utf8");
  }
  return DEFAULT_STUBS[kind];
}

function timestamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getUTCFullYear()}_${pad(date.getUTCMonth() + 1)}_${pad(date.getUTCDate())}_${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`;
}
