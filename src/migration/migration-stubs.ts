/**
 * The templates `make:migration` fills in, named like Laravel's stubs. They live in the
 * source (not as files beside it) so the published bundle carries them; `mortar
 * stub:publish` writes them to a project's `stubs/` folder, where an edited copy wins.
 * Placeholders: `{{ class }}` and `{{ table }}` (spaces inside the braces optional).
 */

export type StubKind = "create" | "update" | "blank";

/** The file name of each kind in a project's `stubs/` folder. */
export const STUB_FILES: Readonly<Record<StubKind, string>> = {
  create: "migration.create.stub",
  update: "migration.update.stub",
  blank: "migration.stub",
};

// One text for TypeScript and ES-module JavaScript: nothing in it is TypeScript-only
// (the callback's `table` is typed by inference).
const CREATE = `import { Migration } from "mortar";

export default class {{ class }} extends Migration {
  async up() {
    await this.schema.create("{{ table }}", (table) => {
      table.id();
      table.timestamps();
    });
  }

  async down() {
    await this.schema.dropIfExists("{{ table }}");
  }
}
`;

const UPDATE = `import { Migration } from "mortar";

export default class {{ class }} extends Migration {
  async up() {
    await this.schema.table("{{ table }}", (table) => {
      //
    });
  }

  async down() {
    await this.schema.table("{{ table }}", (table) => {
      //
    });
  }
}
`;

const BLANK = `import { Migration } from "mortar";

export default class {{ class }} extends Migration {
  async up() {
    //
  }

  async down() {
    //
  }
}
`;

export const DEFAULT_STUBS: Readonly<Record<StubKind, string>> = { create: CREATE, update: UPDATE, blank: BLANK };

/**
 * Fill a template. The table goes inside a double-quoted string, so it is escaped as a
 * JSON string's contents: a `--create 'odd "name"'` cannot break the file.
 */
export function fillStub(template: string, values: { readonly className: string; readonly table?: string }): string {
  const table = JSON.stringify(values.table ?? "").slice(1, -1);
  return template.replace(/\{\{\s*class\s*\}\}/g, values.className).replace(/\{\{\s*table\s*\}\}/g, table);
}

/**
 * The CommonJS form of a default stub, for a `.js` file in a project without
 * `"type": "module"`: `require` instead of `import`, `module.exports =` instead of
 * `export default` (the loader reads either).
 */
export function toCommonJs(source: string): string {
  return source
    .replace(/^import \{ Migration \} from "mortar";$/m, 'const { Migration } = require("mortar");')
    .replace(/^export default class (\w+)/m, "module.exports = class $1")
    .replace(/\n}\n$/, "\n};\n");
}
