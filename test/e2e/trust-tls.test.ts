import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { connect } from "../../src/dialect/connect.js";
import { withConnection } from "../support/databases.js";
import { createProject, type TempProject } from "../support/project.js";
import { commandSucceeds, freePort, makeCertificates, osUserIds } from "../support/tls-server.js";

/**
 * The TLS path proven against a real TLS server: a throwaway PostgreSQL with ssl=on
 * (initdb into a temp folder, a certificate signed by a CA made here, a loopback port
 * of its own), stopped and deleted at the end. The shared servers have TLS off, so the
 * positive cases can only be shown here.
 */

const BIN = "/usr/lib/postgresql/15/bin";
const runnable = existsSync(join(BIN, "initdb")) && process.getuid?.() === 0 && commandSucceeds("id", "postgres") && commandSucceeds("openssl", "version");
const skip = runnable ? false : "needs root, the postgres OS user, PostgreSQL 15 binaries and openssl";

const asPostgres = (...args: string[]) => execFileSync("runuser", ["-u", "postgres", "--", ...args], { stdio: "pipe" });

describe("TLS against a throwaway PostgreSQL with ssl=on", { skip }, () => {
  let dir: string;
  let port: number;
  let project: TempProject;
  let started = false;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "mortar-tls-pg-"));
    chmodSync(dir, 0o755);
    makeCertificates(dir);
    const { uid, gid } = osUserIds("postgres");
    chownSync(dir, uid, gid);
    for (const file of ["server.key", "server.crt"]) chownSync(join(dir, file), uid, gid);
    chmodSync(join(dir, "server.key"), 0o600);
    port = await freePort();
    asPostgres(join(BIN, "initdb"), "-D", join(dir, "data"), "-U", "postgres", "--auth=trust", "--no-sync", "--no-instructions");
    const options = [
      `-p ${port}`,
      `-k ${dir}`,
      "-c listen_addresses=localhost",
      "-c ssl=on",
      `-c ssl_cert_file=${join(dir, "server.crt")}`,
      `-c ssl_key_file=${join(dir, "server.key")}`,
      "-c fsync=off",
    ].join(" ");
    asPostgres(join(BIN, "pg_ctl"), "-D", join(dir, "data"), "-o", options, "-l", join(dir, "log"), "-w", "-t", "20", "start");
    started = true;
    project = createProject("module");
    project.write("databases/migrations/.keep", "");
  });

  after(() => {
    if (started) asPostgres(join(BIN, "pg_ctl"), "-D", join(dir, "data"), "-m", "immediate", "-w", "stop");
    project?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const url = (host: string, query: string) => `postgres://postgres@${host}:${port}/postgres?${query}`;

  /** Connect, and report whether the session really is encrypted. */
  function sessionUsesTls(connectionUrl: string): Promise<boolean> {
    return withConnection({ driver: "postgres", url: connectionUrl }, async (db) => {
      const [row] = await db.query<{ ssl: boolean }>("select ssl from pg_stat_ssl where pid = pg_backend_pid()");
      return row!.ssl;
    });
  }

  test("verify-full with the right sslrootcert connects over TLS (library and the mortar binary)", async () => {
    const good = url("localhost", `sslmode=verify-full&sslrootcert=${join(dir, "ca.crt")}`);
    assert.equal(await sessionUsesTls(good), true);
    const run = await project.mortar(["migrate:status", "--json"], { DATABASE_URL: good });
    assert.equal(run.code, 0, run.stdout + run.stderr);
  });

  test("verify-full with a wrong sslrootcert fails (exit 1), naming the certificate problem", async () => {
    const wrong = url("localhost", `sslmode=verify-full&sslrootcert=${join(dir, "other-ca.crt")}`);
    await assert.rejects(sessionUsesTls(wrong), /cannot connect to postgres at localhost/);
    const run = await project.mortar(["migrate:status", "--json"], { DATABASE_URL: wrong });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /cannot connect to postgres at localhost/);
  });

  test("verify-full checks the host name: 127.0.0.1 is not in the certificate", async () => {
    await assert.rejects(sessionUsesTls(url("127.0.0.1", `sslmode=verify-full&sslrootcert=${join(dir, "ca.crt")}`)), /cannot connect/);
  });

  test("verify-ca checks the chain only: 127.0.0.1 connects, a wrong CA does not", async () => {
    assert.equal(await sessionUsesTls(url("127.0.0.1", `sslmode=verify-ca&sslrootcert=${join(dir, "ca.crt")}`)), true);
    await assert.rejects(sessionUsesTls(url("127.0.0.1", `sslmode=verify-ca&sslrootcert=${join(dir, "other-ca.crt")}`)), /cannot connect/);
  });

  test("require without a root certificate encrypts without checking; with one it checks the chain (libpq)", async () => {
    assert.equal(await sessionUsesTls(url("127.0.0.1", "sslmode=require")), true);
    assert.equal(await sessionUsesTls(url("127.0.0.1", `sslmode=require&sslrootcert=${join(dir, "ca.crt")}`)), true);
    await assert.rejects(sessionUsesTls(url("127.0.0.1", `sslmode=require&sslrootcert=${join(dir, "other-ca.crt")}`)), /cannot connect/);
  });

  test("ssl=true checks like verify-full: a CA Node does not know is refused", async () => {
    await assert.rejects(sessionUsesTls(url("localhost", "ssl=true")), /cannot connect/);
  });

  test("a config object takes the same settings, in the URL's spelling or camelCase", async () => {
    const base = { driver: "postgres" as const, host: "localhost", port, username: "postgres", database: "postgres" };
    for (const settings of [
      { ...base, sslMode: "verify-full" as const, sslRootCert: join(dir, "ca.crt") },
      { ...base, sslmode: "verify-full", sslrootcert: join(dir, "ca.crt") },
    ]) {
      const db = await connect(settings as typeof base);
      try {
        const [row] = await db.query<{ ssl: boolean }>("select ssl from pg_stat_ssl where pid = pg_backend_pid()");
        assert.equal(row!.ssl, true);
      } finally {
        await db.close();
      }
    }
    await assert.rejects(connect({ ...base, sslmode: "verify-full", sslrootcert: join(dir, "other-ca.crt") } as typeof base), /cannot connect/);
  });

  test("prefer uses TLS when the server offers it; disable does not", async () => {
    assert.equal(await sessionUsesTls(url("127.0.0.1", "sslmode=prefer")), true);
    assert.equal(await sessionUsesTls(url("127.0.0.1", "sslmode=disable")), false);
  });
});
