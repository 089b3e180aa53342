import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { discoverMigrations } from "./file-source.js";
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
  /** File extension. Default `ts`. */
  readonly extension?: "ts" | "js" | "mts" | "mjs";
}

/**
 * Write a new migration file and return its path. Guesses like Laravel:
 * `create_flights_table` → create `flights`; `add_votes_to_users_table` → alter `users`.
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
  const stamp = timestamp(options.now ?? new Date());
  const extension = options.extension ?? "ts";
  const file = join(options.path, `${stamp}_${snake}.${extension}`);
  mkdirSync(options.path, { recursive: true });
  writeFileSync(file, stub(studly(snake), create, table), { flag: "wx" });
  return file;
}

function guessTable(name: string): { table: string; create: boolean } | undefined {
  const create = /^create_(\w+?)_table$/.exec(name);
  if (create) return { table: create[1]!, create: true };
  const alter = /_(?:to|from|in|on)_(\w+?)_table$/.exec(name);
  if (alter) return { table: alter[1]!, create: false };
  return undefined;
}

function toSnakeCase(name: string): string {
  return String(name)
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[\s-]+/g, "_")
    .toLowerCase();
}

function studly(snake: string): string {
  const name = snake.split("_").filter(Boolean).map((p) => p[0]!.toUpperCase() + p.slice(1)).join("");
  return /^[0-9]/.test(name) ? `Migration${name}` : name;
}

function timestamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getUTCFullYear()}_${pad(date.getUTCMonth() + 1)}_${pad(date.getUTCDate())}_${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`;
}

function stub(className: string, create: string | undefined, table: string | undefined): string {
  let up = "    //";
  let down = "    //";
  if (create) {
    up = `    await this.schema.create(${JSON.stringify(create)}, (table) => {\n      table.increments("id");\n      table.timestamps();\n    });`;
    down = `    await this.schema.drop(${JSON.stringify(create)});`;
  } else if (table) {
    up = `    await this.schema.table(${JSON.stringify(table)}, (table) => {\n      //\n    });`;
    down = `    await this.schema.table(${JSON.stringify(table)}, (table) => {\n      //\n    });`;
  }
  return `import { Migration } from "mortar";\n\nexport default class ${className} extends Migration {\n  async up() {\n${up}\n  }\n\n  async down() {\n${down}\n  }\n}\n`;
}
