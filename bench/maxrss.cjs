// Preloaded (node --require) into every benchmarked process: on exit it appends the
// process's peak resident set size, in KiB, to the file named by MORTAR_BENCH_RSS_FILE.
const fs = require("node:fs");
const file = process.env.MORTAR_BENCH_RSS_FILE;
if (file) {
  process.on("exit", () => {
    fs.appendFileSync(file, `${process.resourceUsage().maxRSS}\n`);
  });
}
