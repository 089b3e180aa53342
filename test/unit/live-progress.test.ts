import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { LiveProgress, type ProgressTimers } from "../../src/cli/live-progress.js";
import { createOutput, type OutputStream } from "../../src/cli/output.js";
import { terminated } from "../../src/cli/pretend.js";

/** A stand-in for process.stdout: records every write. */
function fakeStream(isTTY: boolean): OutputStream & { text: string } {
  return {
    isTTY,
    text: "",
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
}

/** Timers fired by hand: `fire()` runs every pending callback. */
function manualTimers(): ProgressTimers & { fire(): void; pending: number } {
  const callbacks = new Map<number, () => void>();
  let next = 0;
  return {
    set(callback) {
      callbacks.set(++next, callback);
      return next;
    },
    clear(handle) {
      callbacks.delete(handle as number);
    },
    fire() {
      for (const [id, callback] of [...callbacks]) {
        callbacks.delete(id);
        callback();
      }
    },
    get pending() {
      return callbacks.size;
    },
  };
}

function setup(options: { tty: boolean; json?: boolean }) {
  const stdout = fakeStream(options.tty);
  const stderr = fakeStream(options.tty);
  const out = createOutput({ json: Boolean(options.json), stdout, stderr });
  const timers = manualTimers();
  return { stdout, stderr, out, timers, progress: new LiveProgress(out, { timers }) };
}

const WIPE = "\r\u001b[2K";
/** Without colour codes (a terminal gets them unless NO_COLOR is set). */
const plain = (text: string) => text.replace(/\u001b\[\d+m/g, "");

describe("LiveProgress", () => {
  test("a slow migration on a terminal shows RUNNING, wiped by its DONE line", () => {
    const { stdout, timers, progress } = setup({ tty: true });
    progress.started({ name: "2026_01_01_000000_create_users_table", direction: "up" });
    assert.equal(timers.pending, 1);
    timers.fire();
    assert.match(plain(stdout.text), /create_users_table \.+ RUNNING$/, "RUNNING written without a newline");
    progress.finished("2026_01_01_000000_create_users_table", 1500, "DONE");
    const afterRunning = plain(stdout.text).slice(plain(stdout.text).indexOf("RUNNING"));
    assert.ok(afterRunning.includes(`${WIPE}  2026_01_01_000000_create_users_table .`), JSON.stringify(afterRunning));
    assert.match(afterRunning, /1500ms.*DONE.*\n$/);
    assert.equal(timers.pending, 0);
  });

  test("a quick migration never shows RUNNING: its timer is cleared at the end", () => {
    const { stdout, timers, progress } = setup({ tty: true });
    progress.started({ name: "a", direction: "up" });
    progress.finished("a", 3, "DONE");
    assert.equal(timers.pending, 0);
    assert.doesNotMatch(stdout.text, /RUNNING/);
  });

  test("off a terminal (a pipe, CI) the RUNNING line is never written", () => {
    const { stdout, timers, progress } = setup({ tty: false });
    progress.started({ name: "a", direction: "up" });
    timers.fire();
    progress.finished("a", 1500, "DONE");
    assert.doesNotMatch(stdout.text, /RUNNING/);
    assert.doesNotMatch(stdout.text, /\r/);
    assert.match(stdout.text, /^ {2}INFO {2}Running migrations\.\n\n {2}a \.+ 1500ms DONE\n$/);
  });

  test("with --json nothing is written, even on a terminal", () => {
    const { stdout, timers, progress } = setup({ tty: true, json: true });
    progress.started({ name: "a", direction: "up" });
    timers.fire();
    progress.finished("a", 1500, "DONE");
    assert.equal(stdout.text, "");
  });

  test("an error printed while RUNNING shows wipes the RUNNING line first", () => {
    const { stdout, stderr, out, timers, progress } = setup({ tty: true });
    progress.started({ name: "a", direction: "up" });
    timers.fire();
    out.error("  ERROR  boom");
    assert.ok(stdout.text.endsWith(WIPE), JSON.stringify(stdout.text));
    assert.equal(stderr.text, "  ERROR  boom\n");
  });

  test("headers: Running / Rolling back once per change of direction (refresh prints both)", () => {
    const { stdout, progress } = setup({ tty: false });
    progress.started({ name: "b", direction: "down" });
    progress.finished("b", 1, "DONE");
    progress.started({ name: "a", direction: "down" });
    progress.finished("a", 1, "DONE");
    progress.started({ name: "a", direction: "up" });
    progress.finished("a", 1, "DONE");
    const lines = stdout.text.split("\n");
    assert.deepEqual(
      lines.map((l) => l.replace(/ \.+ .*/, "")),
      ["  INFO  Rolling back migrations.", "", "  b", "  a", "", "  INFO  Running migrations.", "", "  a", ""],
    );
  });

  test("pretend: no live lines, but the pretended SQL gets its direction's header", () => {
    const { stdout, timers, progress } = setup({ tty: true });
    progress.pretended({ name: "a", direction: "down" });
    assert.equal(timers.pending, 0);
    assert.equal(stdout.text, "");
    progress.pretendHeader("a");
    progress.pretendHeader("(drop all tables)");
    assert.equal(plain(stdout.text), "  INFO  Rolling back migrations.\n\n");
  });
});

describe("terminated (pretend statements)", () => {
  test("adds one ; and never doubles it", () => {
    assert.equal(terminated("create table a (id int)"), "create table a (id int);");
    assert.equal(terminated("create table a (id int);"), "create table a (id int);");
    assert.equal(terminated("create table a (id int);  \n"), "create table a (id int);");
    assert.equal(terminated("create trigger t begin select 1; end"), "create trigger t begin select 1; end;");
  });
});
