import { randomBytes } from "node:crypto";

/**
 * Names of the databases `mortar/testing` creates. Everything it makes starts with
 * `mortar_tpl_` (templates) or `mortar_test_` (copies), so leftovers of a crashed run can
 * be found by name; a copy's name carries its creation time, so a later run can tell a
 * copy abandoned long ago from one a parallel worker is using right now.
 * All names are lower case [a-z0-9_] and at most 64 characters (MySQL's limit; 63 on PostgreSQL).
 */
export const TEMPLATE_PREFIX = "mortar_tpl_";
export const COPY_PREFIX = "mortar_test_";
/** A dropped PostgreSQL copy renamed out of the way until its DROP finishes; any left over is removed. */
export const TRASH_PREFIX = "mortar_trash_";

/** A copy older than this is taken for a leftover of a crashed run and dropped. */
export const STALE_AFTER_MS = 60 * 60 * 1000;

/** `mortar_tpl_<project>_<fingerprint>`: one per project and set of migration files. */
export function templateName(projectKey: string, fingerprint: string): string {
  return `${TEMPLATE_PREFIX}${projectKey}_${fingerprint}`;
}

/** The prefix every template of one project shares (older templates of it are replaced). */
export function projectTemplatePrefix(projectKey: string): string {
  return `${TEMPLATE_PREFIX}${projectKey}_`;
}

let counter = 0;

/**
 * `mortar_test_<project>_<created, base 36>_<pid>_<n><random>`: unique across processes,
 * worker threads of one process (each has its own counter, hence the random part) and time.
 */
export function copyName(projectKey: string, now = Date.now()): string {
  counter += 1;
  return `${COPY_PREFIX}${projectKey}_${now.toString(36)}_${process.pid}_${counter.toString(36)}${randomBytes(3).toString("hex")}`;
}

/** Whether `name` is a copy made more than STALE_AFTER_MS before `now`. */
export function isStaleCopy(name: string, now = Date.now()): boolean {
  const match = /^mortar_test_[0-9a-f]+_([0-9a-z]+)_\d+_[0-9a-z]+$/.exec(name);
  if (!match) return false;
  const created = parseInt(match[1]!, 36);
  return Number.isFinite(created) && now - created > STALE_AFTER_MS;
}
