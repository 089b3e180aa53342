import { createRequire } from "node:module";

// node:crypto costs a few milliseconds to load; `migrate:status` and a `migrate` with
// nothing to do usually hash nothing (checksums come from the cache), so it is loaded
// on the first hash instead of at start-up.
const requireBuiltin = createRequire(import.meta.url);
let crypto: typeof import("node:crypto") | undefined;

/** SHA-256 of `data`: the digest's bytes. */
export function sha256(data: string): Buffer {
  crypto ??= requireBuiltin("node:crypto") as typeof import("node:crypto");
  return crypto.createHash("sha256").update(data).digest();
}

/** SHA-256 of `data` as lowercase hex. */
export function sha256Hex(data: string): string {
  return sha256(data).toString("hex");
}
