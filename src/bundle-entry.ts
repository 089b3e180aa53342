/**
 * What `dist/mortar.mjs` bundles: the public API and the command line in ONE module, so
 * the `mortar` binary and the user's migrations (`import { Migration } from "mortar"`)
 * share a single copy of Mortar, and a run loads one file instead of ~60.
 */
export * from "./index.js";
export { main } from "./cli/main.js";
