import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import ts from "typescript";
import { createProject, REPO_ROOT, type TempProject } from "../support/project.js";

// The typings a user installs (package.json "types": dist/src/index.d.ts) show the public
// API only: members Mortar marks @internal are stripped, and what is left still compiles
// for a user who checks library types too (skipLibCheck off).

const DECLARATIONS = join(REPO_ROOT, "dist", "src");

/** Members the Migrator, the schema builder and the blueprint use among themselves. */
const INTERNAL_MEMBERS = [
  "afterStatement",
  "statementPrefix",
  "foreignKeysUnverified",
  "foreignKeyTables",
  "declaredReferences",
  "dialectFactory",
  "writeOnCommit",
  "addFluentIndex",
  "registerForeign",
  "toCommands",
];

function declarationFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return declarationFiles(path);
    return entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Compile `source` as a user's file that imports "mortar"; returns the diagnostics as text. */
function compileAsUser(project: TempProject, source: string): string[] {
  const file = project.write("app.ts", source);
  const program = ts.createProgram([file], {
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2022.d.ts", "lib.esnext.disposable.d.ts"],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    typeRoots: [join(REPO_ROOT, "node_modules", "@types")],
    types: ["node"],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file ? `${d.file.fileName}: ` : ""}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}

describe("published typings", () => {
  let project: TempProject;
  before(() => {
    project = createProject("module");
  });
  after(() => project?.cleanup());

  test("no declaration file keeps an @internal member", () => {
    const files = declarationFiles(DECLARATIONS);
    assert.ok(files.some((f) => f.endsWith(join("src", "index.d.ts"))), `no index.d.ts under ${DECLARATIONS}`);
    const leaks: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      if (text.includes("@internal")) leaks.push(`${file}: an @internal comment`);
      for (const member of INTERNAL_MEMBERS) {
        // A declared member: `  name(`, `  name:`, `  name?:`, `  get name(`.
        if (new RegExp(`^\\s+(?:readonly |get |static )?${member}\\??[(:]`, "m").test(text)) leaks.push(`${file}: ${member}`);
      }
    }
    assert.deepEqual(leaks, []);
  });

  test("a user's code compiles against them with library checks on, and cannot reach an internal member", () => {
    const diagnostics = compileAsUser(
      project,
      `import { connect, LockTimeoutError, Migration, Migrator, NothingSelectedError, type MortarErrorCode } from "mortar";
export class CreateThings extends Migration {
  async up() { await this.schema.create("things", (t) => { t.increments("id"); }); }
  override async down() { await this.schema.drop("things"); }
}
export async function run(): Promise<MortarErrorCode | undefined> {
  const db = await connect({ driver: "sqlite", database: ":memory:" });
  const result = await new Migrator(db, { path: "databases/migrations" }).migrate();
  if (result.error?.cause instanceof LockTimeoutError) return result.error.cause.timeoutMs > 0 ? result.error.code : undefined;
  if (result.error?.cause instanceof NothingSelectedError) return result.error.cause.option === "batch" ? "USAGE" : undefined;
  await new CreateThings().down?.();
  return result.error?.code;
}
`,
    );
    assert.deepEqual(diagnostics, []);
    const leaked = compileAsUser(
      project,
      `import { connect } from "mortar";
const db = await connect({ driver: "sqlite", database: ":memory:" });
db.afterStatement = undefined;
`,
    );
    assert.ok(
      leaked.some((d) => /afterStatement/.test(d) && /does not exist/.test(d)),
      `an internal member must not type-check in user code; got: ${leaked.join("\n") || "no error"}`,
    );
  });
});
