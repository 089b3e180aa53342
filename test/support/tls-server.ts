import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

/** Shared by the TLS tests that start a throwaway database server of their own. */

/** True when `command ...args` runs and exits 0 (a binary or an OS user is there). */
export function commandSucceeds(command: string, ...args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** A loopback port nobody listens on right now, for a server of the test's own. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The numeric user and group ids of an OS user, to hand a server its files. */
export function osUserIds(user: string): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync("id", [flag, user]).toString().trim());
  return { uid: id("-u"), gid: id("-g") };
}

/**
 * In `dir`: a CA (ca.crt), a second unrelated CA (other-ca.crt) and a server
 * certificate signed by the first for DNS name `localhost` only (server.crt, server.key).
 */
export function makeCertificates(dir: string): void {
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl("req", "-x509", ...ec, "-days", "2", "-subj", "/CN=Mortar Test CA", "-keyout", "ca.key", "-out", "ca.crt");
  openssl("req", "-x509", ...ec, "-days", "2", "-subj", "/CN=Some Other CA", "-keyout", "other-ca.key", "-out", "other-ca.crt");
  openssl("req", ...ec, "-subj", "/CN=localhost", "-keyout", "server.key", "-out", "server.csr");
  writeFileSync(join(dir, "san.ext"), "subjectAltName=DNS:localhost\n");
  openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-extfile", "san.ext", "-out", "server.crt");
}
