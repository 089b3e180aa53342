// Preloaded (node --require) into every benchmarked process: on exit it appends the
// process's peak resident set size, in KiB, to the file named by MORTAR_BENCH_RSS_FILE.
// VmHWM is read rather than getrusage's maxrss, which a child inherits from the process
// that spawned it (here, the large benchmark runner) across fork and exec.
const fs = require("node:fs");
const file = process.env.MORTAR_BENCH_RSS_FILE;
if (file) {
  process.on("exit", () => {
    let kib = process.resourceUsage().maxRSS;
    try {
      const match = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync("/proc/self/status", "utf8"));
      if (match) kib = Number(match[1]);
    } catch {
      // not Linux: fall back to maxRSS
    }
    fs.appendFileSync(file, `${kib}\n`);
  });
}
