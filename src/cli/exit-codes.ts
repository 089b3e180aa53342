import { MortarError } from "../errors.js";

export const EXIT_OK = 0;
/** A migration or the database failed. */
export const EXIT_FAILURE = 1;
/** Bad usage or configuration. */
export const EXIT_USAGE = 2;

export function exitCodeFor(error: unknown): number {
  if (error instanceof MortarError && (error.code === "USAGE" || error.code === "CONFIG")) return EXIT_USAGE;
  return EXIT_FAILURE;
}
