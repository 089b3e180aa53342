import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { UsageError } from "../errors.js";
import { displayPath } from "../util/display-path.js";
import { assertSeederName, SEEDER_EXTENSIONS } from "./seeder-file.js";

export interface CreateSeederOptions {
  /** Folder to write to (created when missing). */
  readonly path: string;
  /** Write JavaScript instead of TypeScript: ESM or CommonJS after the nearest package.json. */
  readonly javascript?: boolean;
}

/**
 * Write `NAME.ts` (or `.js`) holding a Seeder stub and return its path. Refuses when a
 * seeder of that name exists in any extension: `db:seed --class NAME` must find one file.
 */
export function createSeeder(name: string, options: CreateSeederOptions): string {
  if (!name) throw new UsageError("make:seeder needs a name, e.g. mortar make:seeder UserSeeder");
  assertSeederName(name, "seeder name");
  const existing = SEEDER_EXTENSIONS.map((extension) => join(options.path, `${name}${extension}`)).find((file) => existsSync(file));
  if (existing) throw new UsageError(`seeder ${name} already exists: ${displayPath(existing)}`);
  const file = join(options.path, `${name}.${options.javascript ? "js" : "ts"}`);
  const text = options.javascript && !isEsmFolder(options.path) ? commonJsStub(name) : moduleStub(name);
  mkdirSync(options.path, { recursive: true });
  // `wx`: another process that wrote the file meanwhile is not overwritten either.
  writeFileSync(file, text, { flag: "wx" });
  return file;
}

export function moduleStub(className: string): string {
  return `import { Seeder } from "mortar";

export default class ${className} extends Seeder {
  async run() {
    // await this.db.execute("insert into users (name) values (?)", ["Ada"]); // $1 on PostgreSQL
    // await this.call([OtherSeeder]);
  }
}
`;
}

export function commonJsStub(className: string): string {
  return `const { Seeder } = require("mortar");

module.exports = class ${className} extends Seeder {
  async run() {
    // await this.db.execute("insert into users (name) values (?)", ["Ada"]); // $1 on PostgreSQL
    // await this.call([require("./OtherSeeder.js")]);
  }
};
`;
}

/** A `.js` file in `dir` is ESM when the nearest package.json says `"type": "module"`, as Node decides. */
function isEsmFolder(dir: string): boolean {
  for (let current = dir; ; current = dirname(current)) {
    const manifest = join(current, "package.json");
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, "utf8")) as { type?: unknown }).type === "module";
      } catch {
        return false;
      }
    }
    if (dirname(current) === current) return false;
  }
}
