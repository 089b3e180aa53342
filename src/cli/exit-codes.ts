import { MortarError, type MortarErrorCode } from "../errors.js";

export const EXIT_OK = 0;
/** A migration or the database failed. */
export const EXIT_FAILURE = 1;
/** Bad usage or configuration. */
export const EXIT_USAGE = 2;

export function exitCodeFor(error: unknown): number {
  if (error instanceof MortarError && isSetupCode(error.code)) return EXIT_USAGE;
  return EXIT_FAILURE;
}

/** Codes the user settles in their set-up, not in the database: usage, configuration, a driver to install. */
export function isSetupCode(code: MortarErrorCode): boolean {
  return code === "USAGE" || code === "CONFIG" || code === "DRIVER_MISSING";
}
