import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import { after, before, describe, test } from "node:test";
import { connect } from "../../src/dialect/connect.js";
import { createTestDatabase, DIALECTS, tablesOf, type TestDatabase } from "../support/databases.js";
import { createProject, type RunOutput, type TempProject } from "../support/project.js";

/**
 * Connection URLs and secrets through the real `mortar` binary (spec §6): every URL
 * parameter Mortar understands is honoured, an unknown one is refused by name, asking
 * for TLS never ends in plaintext, and no output — plain, --json or --verbose — ever
 * holds a password, whatever the form of the URL.
 */

const MIGRATION = `import { Migration } from "mortar";
export default class CreateProbes extends Migration {
  async up() { await this.schema.create("probes", (t) => { t.increments("id"); t.string("name"); }); }
  async down() { await this.schema.drop("probes"); }
}
`;
const MIGRATION_FILE = "databases/migrations/2026_03_01_000001_create_probes_table.ts";

/** Passwords that break naive URL handling (spec: @ / : % # ? %40 spaces). */
const PASSWORDS = ["Hunter2@x", "Hunter2/x", "Hunter2:x", "Hunter2%x", "Hunter2#x", "Hunter2?x", "Hunter2%40x", "Hunter2 x y"];

/** The password must not appear raw, encoded or decoded; "Hunter2" is the part no mask may leave. */
function assertNoSecret(run: RunOutput, password: string, context: string): void {
  const text = run.stdout + run.stderr;
  assert.ok(!text.includes("Hunter2"), `${context}: output holds the password\n${text}`);
  for (const form of [password, encodeURIComponent(password)]) assert.ok(!text.includes(form), `${context}: output holds "${form}"\n${text}`);
}

/** Exactly one JSON document on stdout, with an error of the given code. */
function jsonError(run: RunOutput, context: string): { code: string; message: string } {
  let document: { error?: { code: string; message: string } };
  try {
    document = JSON.parse(run.stdout) as typeof document;
  } catch {
    assert.fail(`${context}: stdout is not one JSON document:\n${run.stdout}\nstderr:\n${run.stderr}`);
  }
  assert.ok(document.error, `${context}: no error in ${run.stdout}`);
  return document.error;
}

let project: TempProject;

before(() => {
  project = createProject("module");
  project.write(MIGRATION_FILE, MIGRATION);
});
after(() => project.cleanup());

/** Run with --json and with --verbose; both must exit `code` and stay clean. */
async function attempt(url: string, password: string, code: number | readonly number[], context: string): Promise<{ json: RunOutput; verbose: RunOutput }> {
  const codes = typeof code === "number" ? [code] : code;
  const json = await project.mortar(["migrate", "--json"], { DATABASE_URL: url });
  const verbose = await project.mortar(["migrate", "--verbose"], { DATABASE_URL: url });
  for (const [run, flag] of [[json, "--json"], [verbose, "--verbose"]] as const) {
    assert.ok(codes.includes(run.code), `${context} ${flag}: exit ${run.code}, expected ${codes.join(" or ")}\n${run.stdout}${run.stderr}`);
    assertNoSecret(run, password, `${context} ${flag}`);
  }
  jsonError(json, context);
  assert.equal(json.stderr, "", `${context}: --json writes nothing to stderr`);
  assert.match(verbose.stderr, /ERROR/, `${context}: --verbose names the error`);
  return { json, verbose };
}

describe("secrets never reach the output", () => {
  for (const password of PASSWORDS) {
    const encoded = encodeURIComponent(password);

    test(`password ${JSON.stringify(password)}: unreachable PostgreSQL server exits 1 without it`, async () => {
      const { json } = await attempt(`postgres://app:${encoded}@127.0.0.1:1/app`, password, 1, "unreachable");
      assert.match(jsonError(json, "unreachable").message, /cannot connect to postgres at 127\.0\.0\.1:1/);
    });

    test(`password ${JSON.stringify(password)} written raw (malformed URL) exits 1 or 2 without it`, async () => {
      // Some raw forms still make a URL (then the connection fails), the others are refused naming DATABASE_URL.
      const { json } = await attempt(`postgres://app:${password}@127.0.0.1:1/app`, password, [1, 2], "raw");
      const error = jsonError(json, "raw");
      if (error.code === "CONFIG") assert.match(error.message, /DATABASE_URL/);
    });

    test(`password ${JSON.stringify(password)}: an unknown parameter exits 2 naming it, without the password`, async () => {
      const { json, verbose } = await attempt(`postgres://app:${encoded}@127.0.0.1:1/app?sslmod=require`, password, 2, "unknown parameter");
      assert.match(jsonError(json, "unknown parameter").message, /DATABASE_URL: unknown parameter "sslmod"/);
      assert.match(verbose.stderr, /"sslmod"/);
    });

    test(`password ${JSON.stringify(password)}: a URL without // exits 2 naming DATABASE_URL, without the password`, async () => {
      const { json } = await attempt(`postgres:app:${encoded}@127.0.0.1:1/app`, password, 2, "no //");
      assert.match(jsonError(json, "no //").message, /DATABASE_URL.*no "\/\/"/);
    });
  }

  test("a bare % in the password exits 2 naming DATABASE_URL and the fix", async () => {
    const { json } = await attempt("postgres://app:Hunter2%zz@127.0.0.1:1/app", "Hunter2%zz", 2, "bare %");
    assert.match(jsonError(json, "bare %").message, /DATABASE_URL.*%25/);
  });

  test("DB_PASSWORD and a config file url are masked too", async () => {
    const password = "Hunter2@secret";
    const viaEnv = await project.mortar(["migrate", "--verbose"], { DB_CONNECTION: "postgres", DB_HOST: "127.0.0.1", DB_PORT: "1", DB_DATABASE: "app", DB_PASSWORD: password });
    assert.equal(viaEnv.code, 1);
    assertNoSecret(viaEnv, password, "DB_PASSWORD");
    const configured = createProject("module");
    try {
      configured.write(MIGRATION_FILE, MIGRATION);
      configured.write("mortar.config.ts", `export default { connections: { main: { url: ${JSON.stringify(`mysql://app:${password}@127.0.0.1:1/app?ssl-mod=on`)} } } };\n`);
      for (const flags of [["--json"], ["--verbose"]]) {
        const run = await configured.mortar(["migrate", ...flags]);
        assert.equal(run.code, 2, run.stdout + run.stderr);
        assertNoSecret(run, password, `config url ${flags[0]}`);
        assert.match(run.stdout + run.stderr, /connection \\?"main\\?" url: unknown parameter \\?"ssl-mod\\?"/);
      }
    } finally {
      configured.cleanup();
    }
  });
});

for (const dialect of DIALECTS.filter((d) => d !== "sqlite")) {
  describe(`connection parameters on ${dialect}`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await createTestDatabase(dialect);
    });
    after(() => database.drop());

    const base = () => {
      const c = database.config;
      return `${dialect}://${c.username}${c.password ? `:${encodeURIComponent(c.password)}` : ""}@${c.host}:${c.port}/${c.database}`;
    };

    const modes = dialect === "postgres" ? ["sslmode=require", "sslmode=verify-ca", "sslmode=verify-full", "ssl=true"] : ["ssl-mode=REQUIRED", "ssl-mode=VERIFY_CA", "ssl-mode=VERIFY_IDENTITY", "ssl=true"];
    for (const mode of modes) {
      test(`${mode} against a server without TLS fails (exit 1) and never falls back to plaintext`, async () => {
        const run = await project.mortar(["migrate", "--json"], { DATABASE_URL: `${base()}?${mode}` });
        assert.equal(run.code, 1, run.stdout + run.stderr);
        const error = jsonError(run, mode);
        assert.equal(error.code, "CONNECTION_FAILED");
        assert.match(error.message, /asks for TLS and the server offers none/);
        assert.deepEqual(await tablesOf(database.config), [], "nothing ran over plaintext");
      });
    }

    const prefer = dialect === "postgres" ? "sslmode=prefer" : "ssl-mode=PREFERRED";
    test(`${prefer} falls back to plaintext (what prefer means) and migrates`, async () => {
      const run = await project.mortar(["migrate"], { DATABASE_URL: `${base()}?${prefer}` });
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.ok((await tablesOf(database.config)).includes("probes"));
      const back = await project.mortar(["migrate:reset"], { DATABASE_URL: `${base()}?${prefer}` });
      assert.equal(back.code, 0, back.stdout + back.stderr);
    });

    if (dialect === "postgres") {
      test("host=/socket/folder connects through the Unix socket", async () => {
        const url = `postgres://${database.config.username}@/${database.config.database}?host=/var/run/postgresql`;
        const run = await project.mortar(["migrate"], { DATABASE_URL: url });
        assert.equal(run.code, 0, run.stdout + run.stderr);
        const db = await connect({ driver: "postgres", url: `${url}&application_name=mortar_socket_probe` });
        try {
          const [row] = await db.query<{ socket: boolean; app: string }>(
            "select inet_client_addr() is null as socket, current_setting('application_name') as app",
          );
          assert.deepEqual(row, { socket: true, app: "mortar_socket_probe" }, "a Unix-socket session with the application_name asked for");
        } finally {
          await db.close();
        }
        assert.equal((await project.mortar(["migrate:reset"], { DATABASE_URL: url })).code, 0);
      });

      test("connect_timeout bounds the wait for a server that never answers", async () => {
        const silent: Server = createServer(() => undefined);
        await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
        const port = (silent.address() as { port: number }).port;
        try {
          const started = Date.now();
          const run = await project.mortar(["migrate", "--json"], { DATABASE_URL: `postgres://u@127.0.0.1:${port}/app?connect_timeout=1` });
          const elapsed = Date.now() - started;
          assert.equal(run.code, 1, run.stdout + run.stderr);
          assert.match(jsonError(run, "timeout").message, new RegExp(`127\\.0\\.0\\.1:${port}`));
          assert.ok(elapsed < 8000, `gave up after ${elapsed} ms`);
        } finally {
          silent.close();
        }
      });
    } else {
      test("socketPath and charset are honoured", async () => {
        const url = `mysql://root@localhost/${database.config.database}?socketPath=/run/mysqld/mysqld.sock&charset=latin1`;
        const db = await connect({ driver: "mysql", url });
        try {
          const [row] = await db.query<{ charset: string; via: string }>(
            "select @@character_set_client as `charset`, (select host from information_schema.processlist where id = connection_id()) as via",
          );
          assert.equal(row!.charset, "latin1");
          assert.equal(row!.via, "localhost", "a socket session has no client port");
        } finally {
          await db.close();
        }
        const run = await project.mortar(["migrate"], { DATABASE_URL: url });
        assert.equal(run.code, 0, run.stdout + run.stderr);
        assert.ok((await tablesOf(database.config)).includes("probes"));
        assert.equal((await project.mortar(["migrate:reset"], { DATABASE_URL: url })).code, 0);
      });
    }
  });
}
