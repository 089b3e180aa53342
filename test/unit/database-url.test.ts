import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { normalizeConnectionSettings } from "../../src/config/connection-parameters.js";
import { parseDatabaseUrl, redact } from "../../src/config/database-url.js";
import { redactSecrets, rememberSecret } from "../../src/config/redact.js";
import { resolveConnection } from "../../src/config/resolve-connection.js";
import { planTls } from "../../src/dialect/tls-options.js";
import { ConfigError } from "../../src/errors.js";

/** Throws a ConfigError whose message matches every `names` and none of `hidden`. */
function assertConfigError(fn: () => unknown, names: RegExp[], hidden: string[] = []): string {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof ConfigError, `expected a ConfigError, got ${String(caught)}`);
  for (const name of names) assert.match(caught.message, name);
  for (const secret of hidden) assert.ok(!caught.message.includes(secret), `"${caught.message}" contains "${secret}"`);
  return caught.message;
}

describe("URL parameters (PostgreSQL)", () => {
  test("sslmode, sslrootcert, sslcert, sslkey, application_name and connect_timeout become settings", () => {
    const url =
      "postgres://app:pw@db.example.com:6543/main?sslmode=verify-full&sslrootcert=/etc/ca.pem&sslcert=/c.pem&sslkey=/k.pem&application_name=deploy&connect_timeout=7";
    assert.deepEqual(parseDatabaseUrl(url, "DATABASE_URL"), {
      driver: "postgres",
      host: "db.example.com",
      port: 6543,
      database: "main",
      username: "app",
      password: "pw",
      sslMode: "verify-full",
      sslRootCert: "/etc/ca.pem",
      sslCert: "/c.pem",
      sslKey: "/k.pem",
      applicationName: "deploy",
      connectTimeout: 7,
    });
  });

  for (const mode of ["disable", "prefer", "require", "verify-ca", "verify-full"]) {
    test(`sslmode=${mode} is kept as is`, () => {
      assert.equal(parseDatabaseUrl(`postgres://u@h/d?sslmode=${mode}`, "X").sslMode, mode);
    });
  }

  test("host=/folder is a socket folder, and a URL may then name no host (libpq's form)", () => {
    assert.deepEqual(parseDatabaseUrl("postgres://postgres@/app?host=/var/run/postgresql", "DATABASE_URL"), {
      driver: "postgres",
      database: "app",
      username: "postgres",
      socketPath: "/var/run/postgresql",
    });
    assert.deepEqual(parseDatabaseUrl("postgres:///app?host=%2Ftmp", "DATABASE_URL"), { driver: "postgres", database: "app", socketPath: "/tmp" });
  });

  test("host=name replaces the host", () => {
    assert.equal(parseDatabaseUrl("postgres://u@a/d?host=b", "X").host, "b");
  });

  test("an unknown parameter is a ConfigError naming it and the setting", () => {
    assertConfigError(() => parseDatabaseUrl("postgres://u:Hunter2@h/d?sslmod=require", "DATABASE_URL"), [/DATABASE_URL/, /"sslmod"/, /sslmode/], ["Hunter2"]);
  });

  test("MySQL's ssl-mode is not a PostgreSQL parameter", () => {
    assertConfigError(() => parseDatabaseUrl("postgres://u@h/d?ssl-mode=REQUIRED", "DATABASE_URL"), [/"ssl-mode"/, /postgres/]);
  });

  test("a bad sslmode value names the parameter and the value", () => {
    assertConfigError(() => parseDatabaseUrl("postgres://u@h/d?sslmode=always", "DATABASE_URL"), [/DATABASE_URL parameter "sslmode"/, /"always"/, /verify-full/]);
  });

  test("connect_timeout must be whole seconds", () => {
    assertConfigError(() => parseDatabaseUrl("postgres://u@h/d?connect_timeout=soon", "DATABASE_URL"), [/connect_timeout/, /seconds/]);
  });

  test("ssl=true means verify-full (as node-postgres's ssl: true), ssl=false means disable", () => {
    assert.equal(parseDatabaseUrl("postgres://u@h/d?ssl=true", "X").sslMode, "verify-full");
    assert.equal(parseDatabaseUrl("postgres://u@h/d?ssl=false", "X").sslMode, "disable");
  });
});

describe("URL parameters (MySQL)", () => {
  test("ssl-mode names map onto libpq's, case-insensitively", () => {
    const modes: Record<string, string> = {
      DISABLED: "disable",
      PREFERRED: "prefer",
      REQUIRED: "require",
      VERIFY_CA: "verify-ca",
      VERIFY_IDENTITY: "verify-full",
      required: "require",
    };
    for (const [given, expected] of Object.entries(modes)) {
      assert.equal(parseDatabaseUrl(`mysql://u@h/d?ssl-mode=${given}`, "X").sslMode, expected, given);
    }
  });

  test("charset, socketPath, ssl-ca / ssl-cert / ssl-key", () => {
    assert.deepEqual(parseDatabaseUrl("mysql://root@localhost/app?charset=latin1&socketPath=/run/mysqld/mysqld.sock&ssl-ca=/ca&ssl-cert=/c&ssl-key=/k", "X"), {
      driver: "mysql",
      host: "localhost",
      database: "app",
      username: "root",
      charset: "latin1",
      socketPath: "/run/mysqld/mysqld.sock",
      sslRootCert: "/ca",
      sslCert: "/c",
      sslKey: "/k",
    });
  });

  test("a PostgreSQL-only parameter is refused for MySQL", () => {
    assertConfigError(() => parseDatabaseUrl("mysql://u@h/d?application_name=x", "DB_URL"), [/DB_URL/, /"application_name"/, /mysql/]);
  });
});

describe("passwords in URLs", () => {
  const passwords = ["p@ss", "a/b", "c:d", "50%off", "x#y", "why?", "sp ace", "%40literal", "Hunter2"];

  for (const password of passwords) {
    test(`the percent-encoded password ${JSON.stringify(password)} comes back exactly`, () => {
      const parsed = parseDatabaseUrl(`postgres://app:${encodeURIComponent(password)}@h/d`, "DATABASE_URL");
      assert.equal(parsed.password, password);
      assert.equal(parsed.host, "h");
    });

    test(`the password ${JSON.stringify(password)} written raw is parsed or refused, never echoed`, () => {
      const url = `postgres://app:${password}@h/d`;
      assert.ok(!redact(url).includes(password), redact(url));
      try {
        const parsed = parseDatabaseUrl(url, "DATABASE_URL");
        // A raw password that is still a valid URL must come back unchanged (or decoded, for %40).
        assert.equal(parsed.password, decodeURIComponent(password));
      } catch (error) {
        assert.ok(error instanceof ConfigError, String(error));
        assert.match(error.message, /DATABASE_URL/);
        assert.ok(!error.message.includes(password), error.message);
      }
    });
  }

  test("a bare % is a ConfigError naming DATABASE_URL and the fix", () => {
    assertConfigError(() => parseDatabaseUrl("postgres://app:100%sure@h/d", "DATABASE_URL"), [/DATABASE_URL/, /%25/], ["100%sure", "sure"]);
  });

  test("no // after the scheme is a ConfigError that does not quote the password", () => {
    assertConfigError(() => parseDatabaseUrl("postgres:app:Hunter2@h/d", "DATABASE_URL"), [/DATABASE_URL/, /\/\//], ["Hunter2"]);
    assertConfigError(() => parseDatabaseUrl("mysql:app:Hunter2@h/d", "DATABASE_URL"), [/DATABASE_URL/], ["Hunter2"]);
  });

  test("a # in the password is refused without quoting it", () => {
    assertConfigError(() => parseDatabaseUrl("postgres://app:Hun#ter2@h/d", "DATABASE_URL"), [/DATABASE_URL/], ["Hun", "ter2"]);
  });
});

describe("redact", () => {
  test("masks from the user's colon to the last @, in every form", () => {
    assert.equal(redact("postgres://user:secret@host/db"), "postgres://user:***@host/db");
    assert.equal(redact("postgres://user:se@cr/et@host/db"), "postgres://user:***@host/db");
    assert.equal(redact("postgres:user:secret@host/db"), "postgres:user:***@host/db");
    assert.equal(redact("user:secret@host/db"), "***@host/db");
    assert.equal(redact("postgres://host/db?user=u&password=secret"), "postgres://host/db?user=u&password=***");
    assert.equal(redact("postgres://user@host:5432/db"), "postgres://user@host:5432/db");
  });

  test("redactSecrets masks a remembered password and its encoded form", () => {
    rememberSecret("s3cr@t pass");
    assert.equal(redactSecrets("failed with s3cr@t pass and s3cr%40t%20pass"), "failed with *** and ***");
    rememberSecret("ab");
    assert.equal(redactSecrets("abc"), "abc", "passwords too short to mask safely are left alone");
  });
});

describe("config objects take the same settings", () => {
  test("URL spellings and ssl: true become the typed fields", () => {
    assert.deepEqual(normalizeConnectionSettings({ driver: "postgres", sslmode: "verify-ca", sslrootcert: "/ca", application_name: "x", connect_timeout: "3" } as never, "connection"), {
      driver: "postgres",
      sslMode: "verify-ca",
      sslRootCert: "/ca",
      applicationName: "x",
      connectTimeout: 3,
    });
    assert.equal(normalizeConnectionSettings({ driver: "mysql", ssl: true } as never, "c").sslMode, "verify-full");
    assert.equal(normalizeConnectionSettings({ driver: "mysql", "ssl-mode": "VERIFY_IDENTITY" } as never, "c").sslMode, "verify-full");
  });

  test("an ssl object is left for the driver", () => {
    const ssl = { rejectUnauthorized: true };
    assert.equal(normalizeConnectionSettings({ driver: "postgres", ssl }, "c").ssl, ssl);
  });

  test("a bad sslMode in a config object names the connection", () => {
    assertConfigError(() => normalizeConnectionSettings({ driver: "postgres", sslMode: "yes please" } as never, 'connection "main"'), [/connection "main" sslMode/, /"yes please"/]);
  });

  test("resolveConnection folds the URL in, explicit settings win", () => {
    const resolved = resolveConnection({ driver: "postgres", url: "postgres://u:p@h:1/d?sslmode=require", database: "other" });
    assert.deepEqual(
      Object.fromEntries(Object.entries(resolved).filter(([, v]) => v !== undefined)),
      { driver: "postgres", host: "h", port: 1, database: "other", username: "u", password: "p", sslMode: "require" },
    );
  });
});

describe("TLS plan (libpq semantics)", () => {
  const dir = mkdtempSync(join(tmpdir(), "mortar-tls-unit-"));
  const ca = join(dir, "ca.pem");
  writeFileSync(ca, "-----BEGIN CERTIFICATE-----\nnot really\n-----END CERTIFICATE-----\n");
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("no mode, disable: no TLS options", () => {
    assert.equal(planTls({ driver: "postgres" }).ssl, undefined);
    assert.equal(planTls({ driver: "postgres", sslMode: "disable", ssl: { rejectUnauthorized: true } }).ssl, undefined);
  });

  test("prefer: TLS without checks, and the only mode that may fall back", () => {
    const plan = planTls({ driver: "postgres", sslMode: "prefer" });
    assert.equal(plan.ssl?.rejectUnauthorized, false);
    assert.equal(plan.mayFallBack, true);
    for (const mode of ["require", "verify-ca", "verify-full"] as const) assert.equal(planTls({ driver: "postgres", sslMode: mode }).mayFallBack, false, mode);
  });

  test("require: no check without a root certificate; with one, the chain is checked like verify-ca", () => {
    assert.equal(planTls({ driver: "postgres", sslMode: "require" }).ssl?.rejectUnauthorized, false);
    const withRoot = planTls({ driver: "postgres", sslMode: "require", sslRootCert: ca }).ssl!;
    assert.equal(withRoot.rejectUnauthorized, true);
    assert.match(String(withRoot.ca), /not really/);
    assert.equal(typeof withRoot.checkServerIdentity, "function", "the host name is not checked");
  });

  test("verify-ca checks the chain only; verify-full the chain and the host name", () => {
    const ca1 = planTls({ driver: "postgres", sslMode: "verify-ca", sslRootCert: ca }).ssl!;
    assert.equal(ca1.rejectUnauthorized, true);
    assert.equal(ca1.checkServerIdentity?.("h", {} as never), undefined);
    const full = planTls({ driver: "postgres", sslMode: "verify-full", sslRootCert: ca }).ssl!;
    assert.equal(full.rejectUnauthorized, true);
    assert.equal(full.checkServerIdentity, undefined, "Node's own host name check stays");
  });

  test("an unreadable certificate file is a ConfigError naming the setting and the path", () => {
    assertConfigError(() => planTls({ driver: "postgres", sslMode: "verify-full", sslRootCert: join(dir, "missing.pem") }), [/sslrootcert/, /missing\.pem/]);
  });
});
