import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, test } from "node:test";
import { packMortar, type PackReport } from "../support/packed-package.js";
import { REPO_ROOT } from "../support/project.js";

// What `npm publish` would ship: only what runs (the binary, the bundle, the typings,
// the licence and the README), the drivers as optional peers, and typings without the
// members the source marks @internal.

const DRIVERS = ["better-sqlite3", "mysql2", "pg"];

interface PackageJson {
  files: string[];
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
}
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as PackageJson;

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path, suffix);
    return entry.name.endsWith(suffix) ? [path] : [];
  });
}

/**
 * Members the source marks `@internal`, by source file: the declaration that follows each
 * JSDoc block naming the tag (`/** @internal *\/ toSpec(): …`, `readonly dialectFactory: …`).
 */
function internalMembers(): Map<string, string[]> {
  const byFile = new Map<string, string[]>();
  for (const file of filesUnder(join(REPO_ROOT, "src"), ".ts")) {
    const names: string[] = [];
    for (const match of readFileSync(file, "utf8").matchAll(/\/\*\*(?:(?!\*\/)[\s\S])*@internal[\s\S]*?\*\/\s*\n([^\n]*)/g)) {
      const name = /^\s*(?:(?:readonly|get|set|static|async|public|export|declare|abstract)\s+)*([A-Za-z_$][\w$]*)/.exec(match[1]!)?.[1];
      if (name && !["function", "class", "const", "interface", "type"].includes(name)) names.push(name);
    }
    if (names.length > 0) byFile.set(relative(join(REPO_ROOT, "src"), file), names);
  }
  return byFile;
}

describe("the published package", () => {
  let report: PackReport;

  test("the tarball holds only the binary, the bundles (mortar, mortar/testing), the typings, the licence, the README and package.json", () => {
    report = packMortar();
    const unexpected = report.files
      .map((f) => f.path)
      .filter(
        (path) =>
          !(
            ["bin/mortar.js", "dist/mortar.mjs", "dist/testing.mjs", "LICENSE", "README.md", "package.json"].includes(path) ||
            (path.startsWith("dist/src/") && path.endsWith(".d.ts"))
          ),
      );
    assert.deepEqual(unexpected, [], "no tests, benchmarks, sources, compiled modules or source maps");
    const paths = new Set(report.files.map((f) => f.path));
    for (const needed of ["bin/mortar.js", "dist/mortar.mjs", "dist/testing.mjs", "dist/src/index.d.ts", "dist/src/testing/index.d.ts", "LICENSE", "README.md"]) {
      assert.ok(paths.has(needed), `${needed} is missing from the tarball`);
    }
    // Every declaration file the typings need is shipped: each relative import in a shipped .d.ts resolves to one.
    for (const path of paths) {
      if (!path.endsWith(".d.ts")) continue;
      const text = readFileSync(join(REPO_ROOT, path), "utf8");
      for (const [, target] of text.matchAll(/from "(\.{1,2}\/[^"]+)\.js"/g)) {
        const wanted = join(path, "..", `${target}.d.ts`);
        assert.ok(paths.has(wanted), `${path} imports ${target}.js, but ${wanted} is not shipped`);
      }
    }
  });

  test("the typings never import a driver package (a user without pg's types still compiles)", () => {
    const code = (file: string) => readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
    const leaks = filesUnder(join(REPO_ROOT, "dist", "src"), ".d.ts").filter((file) =>
      DRIVERS.some((driver) => new RegExp(`(from |import\\()"${driver}(/[^"]*)?"`).test(code(file))),
    );
    assert.deepEqual(leaks, []);
  });

  test("the drivers are optional peer dependencies, and development dependencies of this repository", () => {
    for (const driver of DRIVERS) {
      assert.equal(pkg.dependencies[driver], undefined, `${driver} must not be a dependency`);
      assert.ok(pkg.peerDependencies[driver], `${driver} is a peer dependency`);
      assert.equal(pkg.peerDependenciesMeta[driver]?.optional, true, `${driver} is an optional peer`);
      assert.equal(pkg.devDependencies[driver], pkg.peerDependencies[driver], `${driver} is installed here at the peer range`);
    }
    // Loading TypeScript migrations needs these at run time.
    for (const runtime of ["tsx", "esbuild"]) assert.ok(pkg.dependencies[runtime], `${runtime} stays a dependency`);
  });

  test("the licence is MIT, copyright the Mortar authors", () => {
    const licence = readFileSync(join(REPO_ROOT, "LICENSE"), "utf8");
    assert.match(licence, /^MIT License/);
    assert.match(licence, /Copyright \(c\) 2026 The Mortar authors/);
  });

  test("no declaration keeps a member the source marks @internal", () => {
    const internal = internalMembers();
    assert.ok(internal.size > 0, "expected the source to mark some members @internal");
    const leaks: string[] = [];
    for (const [source, names] of internal) {
      const declaration = join(REPO_ROOT, "dist", "src", source.replace(/\.ts$/, ".d.ts"));
      const text = readFileSync(declaration, "utf8");
      if (text.includes("@internal")) leaks.push(`${declaration}: an @internal comment`);
      for (const name of names) {
        if (new RegExp(`^\\s+(?:readonly |get |set |static )*${name}\\??[(:<]`, "m").test(text)) leaks.push(`${declaration}: ${name}`);
      }
    }
    assert.deepEqual(leaks, []);
  });
});
