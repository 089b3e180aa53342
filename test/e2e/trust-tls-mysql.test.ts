import assert from "node:assert/strict";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { withConnection } from "../support/databases.js";
import { createProject, type TempProject } from "../support/project.js";
import { commandSucceeds, freePort, makeCertificates, osUserIds } from "../support/tls-server.js";

/**
 * MySQL's ssl-mode against a real TLS server: a throwaway MariaDB (mariadb-install-db
 * into a temp folder, a certificate signed by a CA made here, a loopback port of its
 * own), stopped and deleted at the end. The shared MariaDB has TLS off.
 */

const SERVER = "/usr/sbin/mariadbd";
const INSTALL = "/usr/bin/mariadb-install-db";
const runnable = existsSync(SERVER) && existsSync(INSTALL) && process.getuid?.() === 0 && commandSucceeds("id", "mysql") && commandSucceeds("openssl", "version");
const skip = runnable ? false : "needs root, the mysql OS user, MariaDB server binaries and openssl";

function chownTree(path: string, uid: number, gid: number): void {
  chownSync(path, uid, gid);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.isDirectory()) chownTree(join(path, entry.name), uid, gid);
    else chownSync(join(path, entry.name), uid, gid);
  }
}

async function waitFor(path: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`${path} did not appear within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("TLS against a throwaway MariaDB with TLS on", { skip }, () => {
  let dir: string;
  let port: number;
  let server: ChildProcess | undefined;
  let project: TempProject;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "mortar-tls-my-"));
    makeCertificates(dir);
    const { uid, gid } = osUserIds("mysql");
    chownTree(dir, uid, gid);
    execFileSync(INSTALL, ["--no-defaults", `--datadir=${join(dir, "data")}`, "--user=mysql", "--auth-root-authentication-method=normal", "--skip-test-db"], {
      stdio: "pipe",
    });
    port = await freePort();
    server = spawn(
      "runuser",
      [
        "-u", "mysql", "--", SERVER, "--no-defaults", `--datadir=${join(dir, "data")}`, `--port=${port}`, "--bind-address=127.0.0.1",
        `--socket=${join(dir, "sock")}`, `--pid-file=${join(dir, "pid")}`, `--ssl-cert=${join(dir, "server.crt")}`,
        `--ssl-key=${join(dir, "server.key")}`, `--ssl-ca=${join(dir, "ca.crt")}`, "--skip-log-bin", "--innodb-buffer-pool-size=16M",
      ],
      { stdio: "ignore" },
    );
    await waitFor(join(dir, "sock"), 20_000);
    project = createProject("module");
    project.write("databases/migrations/.keep", "");
  });

  after(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once("exit", resolve));
      const pid = existsSync(join(dir, "pid")) ? Number(execFileSync("cat", [join(dir, "pid")]).toString()) : undefined;
      // The server runs under runuser: stop mariadbd itself, by the pid it wrote.
      if (pid) process.kill(pid, "SIGTERM");
      else server.kill("SIGTERM");
      await exited;
    }
    project?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const url = (host: string, query: string) => `mysql://root@${host}:${port}/mysql?${query}`;

  /** Connect, and report the session's TLS version ("" when plaintext). */
  function tlsVersion(connectionUrl: string): Promise<string> {
    return withConnection({ driver: "mysql", url: connectionUrl }, async (db) => {
      const [row] = await db.query<{ Value: string }>("show session status like 'Ssl_version'");
      return row!.Value;
    });
  }

  test("VERIFY_IDENTITY with the right ssl-ca connects over TLS (library and the mortar binary)", async () => {
    const good = url("localhost", `ssl-mode=VERIFY_IDENTITY&ssl-ca=${join(dir, "ca.crt")}`);
    assert.match(await tlsVersion(good), /^TLS/);
    const run = await project.mortar(["migrate:status", "--json"], { DATABASE_URL: good });
    assert.equal(run.code, 0, run.stdout + run.stderr);
  });

  test("VERIFY_IDENTITY with a wrong ssl-ca is refused", async () => {
    await assert.rejects(tlsVersion(url("localhost", `ssl-mode=VERIFY_IDENTITY&ssl-ca=${join(dir, "other-ca.crt")}`)), /cannot connect to mysql/);
    const run = await project.mortar(["migrate:status", "--json"], { DATABASE_URL: url("localhost", `ssl-mode=VERIFY_IDENTITY&ssl-ca=${join(dir, "other-ca.crt")}`) });
    assert.equal(run.code, 1, run.stdout + run.stderr);
  });

  test("VERIFY_IDENTITY checks the host name: 127.0.0.1 is not in the certificate", async () => {
    await assert.rejects(tlsVersion(url("127.0.0.1", `ssl-mode=VERIFY_IDENTITY&ssl-ca=${join(dir, "ca.crt")}`)), /cannot connect to mysql/);
  });

  test("VERIFY_CA checks the chain only; REQUIRED encrypts without checking", async () => {
    assert.match(await tlsVersion(url("127.0.0.1", `ssl-mode=VERIFY_CA&ssl-ca=${join(dir, "ca.crt")}`)), /^TLS/);
    await assert.rejects(tlsVersion(url("127.0.0.1", `ssl-mode=VERIFY_CA&ssl-ca=${join(dir, "other-ca.crt")}`)), /cannot connect/);
    assert.match(await tlsVersion(url("127.0.0.1", "ssl-mode=REQUIRED")), /^TLS/);
  });

  test("PREFERRED uses TLS when offered; DISABLED does not", async () => {
    assert.match(await tlsVersion(url("127.0.0.1", "ssl-mode=PREFERRED")), /^TLS/);
    assert.equal(await tlsVersion(url("127.0.0.1", "ssl-mode=DISABLED")), "");
  });
});
