import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { loadConfig, type ResolvedConfig } from "../config/load-config.js";
import { LoadedMigrationCache } from "../migration/loaded-migration-cache.js";
import { failedResult, runTenant, type TenantOutcome } from "./run-tenant.js";
import type { TaskSpec, Tenant } from "./tenant.js";
import { taskFor } from "./tenant-tasks.js";

/**
 * SQLite tenants on worker threads. better-sqlite3 is synchronous: on one thread a commit's
 * fsync stops every other tenant, so `--parallel` could not overlap anything. Each worker
 * thread runs one tenant at a time on connections of its own and imports the migrations
 * once; the main thread hands out tenants, so at most `parallel` connections are open.
 *
 * The worker runs this same module (the bundle, or the compiled file), started by the
 * `workerData` mark below: nothing but a fleet's own workers ever carries it.
 */
const MARK = "mortarTenantWorker";

interface WorkerSetup {
  readonly [MARK]: true;
  readonly spec: TaskSpec;
  readonly config: Pick<ResolvedConfig, "cwd" | "configFile" | "connectionName" | "migrationsPath" | "migrationsTable" | "seedersPath" | "connection" | "types" | "safe">;
  readonly lockTimeoutMs?: number;
}

type Reply = { readonly index: number; readonly outcome: TenantOutcome };

export interface ThreadHooks {
  start(tenant: Tenant, index: number): void;
  end(outcome: TenantOutcome, index: number): void;
  /** True once no further tenant may start (`failFast` after a failure). */
  stop(): boolean;
}

/** Run `spec` on `tenants` over `parallel` worker threads; resolves when every started tenant has ended. */
export async function runOnThreads(
  tenants: readonly Tenant[],
  spec: TaskSpec,
  parallel: number,
  config: ResolvedConfig,
  lockTimeoutMs: number | undefined,
  hooks: ThreadHooks,
): Promise<void> {
  // Plain data only: a worker cannot be handed functions (connectionNamed is rebuilt there).
  const { cwd, configFile, connectionName, migrationsPath, migrationsTable, seedersPath, connection, types, safe } = config;
  const setup: WorkerSetup = {
    [MARK]: true,
    spec,
    config: { cwd, configFile, connectionName, migrationsPath, migrationsTable, seedersPath, connection, types, ...(safe ? { safe } : {}) },
    ...(lockTimeoutMs !== undefined ? { lockTimeoutMs } : {}),
  };
  let next = 0;
  const size = Math.max(1, Math.min(parallel, tenants.length));
  await Promise.all(
    Array.from({ length: size }, async () => {
      let worker = new Worker(new URL(import.meta.url), { workerData: setup });
      try {
        while (next < tenants.length && !hooks.stop()) {
          const index = next++;
          const tenant = tenants[index]!;
          hooks.start(tenant, index);
          try {
            const reply = await ask(worker, index, tenant);
            hooks.end(reply.outcome, index);
          } catch (error) {
            // The thread died with the tenant on it: that tenant failed; a new thread goes on.
            hooks.end({ result: failedResult(tenant.id, error), warnings: [] }, index);
            await worker.terminate();
            worker = new Worker(new URL(import.meta.url), { workerData: setup });
          }
        }
      } finally {
        await worker.terminate();
      }
    }),
  );
}

function ask(worker: Worker, index: number, tenant: Tenant): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: Reply) => {
      if (reply.index !== index) return;
      settle();
      resolve(reply);
    };
    const onError = (error: Error) => {
      settle();
      reject(error);
    };
    const onExit = (code: number) => onError(new Error(`the worker thread running this tenant stopped (exit code ${code})`));
    const settle = () => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
    };
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
    worker.postMessage({ index, tenant });
  });
}

/** The worker's side: run each tenant it is handed, one at a time, and answer with the outcome. */
async function serveTenants(setup: WorkerSetup): Promise<void> {
  let named: ResolvedConfig["connectionNamed"];
  try {
    // The full configuration only for a migration's `static connection`.
    const full = await loadConfig({ cwd: setup.config.cwd, flags: { config: setup.config.configFile, connection: setup.config.connectionName } });
    named = full.connectionNamed;
  } catch (error) {
    named = () => {
      throw error;
    };
  }
  const config: ResolvedConfig = { ...setup.config, connectionNamed: (name) => named(name) };
  const settings = { config, migrations: new LoadedMigrationCache(), ...(setup.lockTimeoutMs !== undefined ? { lockTimeoutMs: setup.lockTimeoutMs } : {}) };
  const task = taskFor(setup.spec);
  parentPort!.on("message", ({ index, tenant }: { index: number; tenant: Tenant }) => {
    void runTenant(tenant, task, settings).then((outcome) => parentPort!.postMessage({ index, outcome } satisfies Reply));
  });
}

if (!isMainThread && (workerData as Partial<WorkerSetup> | undefined)?.[MARK] === true) void serveTenants(workerData as WorkerSetup);
