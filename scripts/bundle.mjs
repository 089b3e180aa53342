// Bundles the compiled library and command line (dist/src) into dist/mortar.mjs, the
// module the package exports and the binary runs. Dependencies stay imports.
import { build } from "esbuild";

await build({
  entryPoints: ["dist/src/bundle-entry.js"],
  outfile: "dist/mortar.mjs",
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
