// load-2000, the reference: a plain import() of every file, already compiled to JavaScript.
// Usage: node load-plain.mjs <compiled-dir>
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [dir] = process.argv.slice(2);
const names = (await readdir(dir)).filter((n) => n.endsWith(".js")).sort();
const modules = await Promise.all(names.map((n) => import(pathToFileURL(join(dir, n)).href)));
if (modules.some((m) => typeof m.default !== "function")) process.exit(1);
