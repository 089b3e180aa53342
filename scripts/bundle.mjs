// Bundles the compiled library and command line (dist/src) into dist/mortar.mjs, the
// module the package exports and the binary runs, and `mortar/testing` into dist/testing.mjs. Dependencies and the optional peer
// dependencies (the database drivers, imported only when a connection of their dialect
// opens) stay imports, except commander (see below).
import { readFileSync } from "node:fs";
import { build } from "esbuild";

const { dependencies, peerDependencies } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

// commander is bundled so that its top-level `require("node:child_process")` — used only
// to launch stand-alone executable subcommands, which Mortar does not have — can wait
// for first use: loading child_process (and the net and stream modules behind it) costs
// every command a few milliseconds of start-up.
const deferChildProcess = {
  name: "defer-child-process",
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer) ? { path: "child_process", namespace: "deferred-builtin" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "deferred-builtin" }, () => ({
      contents: 'module.exports = new Proxy({}, { get: (_, key) => require("node:child_process")[key] });',
      loader: "js",
    }));
  },
};

// A package marked external keeps its subpaths external too ("mysql2/promise").
const external = Object.keys({ ...dependencies, ...peerDependencies }).filter((name) => name !== "commander");

await build({
  entryPoints: ["dist/src/bundle-entry.js"],
  outfile: "dist/mortar.mjs",
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external,
  // Bundled CommonJS (commander) calls require() for Node's built-in modules.
  banner: { js: 'import { createRequire as __mortarCreateRequire } from "node:module";\nconst require = __mortarCreateRequire(import.meta.url);' },
  plugins: [deferChildProcess],
  sourcemap: true,
  logLevel: "warning",
});

// mortar/testing imports only Mortar's public API (src/index.ts); that import becomes an
// import of the main bundle beside it, so a test process holds one copy of Mortar: the
// Database it hands out and the errors it throws are the classes "mortar" exports, and
// the migrations it runs share the Migration class they import.
const publicApiFromMainBundle = {
  name: "public-api-from-main-bundle",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/index\.js$/ }, (args) =>
      /[\\/]dist[\\/]src[\\/]testing$/.test(args.resolveDir) ? { path: "./mortar.mjs", external: true } : undefined,
    );
  },
};

await build({
  entryPoints: ["dist/src/testing/index.js"],
  outfile: "dist/testing.mjs",
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external,
  plugins: [publicApiFromMainBundle],
  sourcemap: true,
  logLevel: "warning",
});
