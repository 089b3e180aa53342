import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";
import { ConfigError, messageOf } from "../errors.js";
import type { ConnectionConfig, SslMode } from "./dialect.js";

export interface TlsPlan {
  /** Options for the driver's `ssl`, or undefined for plaintext / the driver's own default. */
  readonly ssl: ConnectionOptions | undefined;
  /** Only `prefer` may retry in plaintext when the server offers no TLS. */
  readonly mayFallBack: boolean;
  readonly mode: SslMode | undefined;
}

/**
 * Turn `sslMode` and the certificate files into Node TLS options with libpq's meanings:
 * `require` checks nothing unless a root certificate is given (then it checks the chain,
 * as libpq does); `verify-ca` checks the chain but not the host name; `verify-full`
 * checks both. Without `sslRootCert` the verifying modes use Node's CA store.
 */
export function planTls(config: ConnectionConfig): TlsPlan {
  const mode = config.sslMode;
  if (mode === undefined || mode === "disable") {
    const passthrough = typeof config.ssl === "object" && config.ssl !== null ? (config.ssl as ConnectionOptions) : undefined;
    return { ssl: mode === "disable" ? undefined : passthrough, mayFallBack: false, mode };
  }
  const files: ConnectionOptions = {
    ...(config.sslRootCert ? { ca: readPem(config.sslRootCert, "sslrootcert") } : {}),
    ...(config.sslCert ? { cert: readPem(config.sslCert, "sslcert") } : {}),
    ...(config.sslKey ? { key: readPem(config.sslKey, "sslkey") } : {}),
  };
  const extra = typeof config.ssl === "object" && config.ssl !== null ? (config.ssl as ConnectionOptions) : {};
  const checksChain = mode === "verify-ca" || mode === "verify-full" || (mode === "require" && Boolean(config.sslRootCert));
  const ssl: ConnectionOptions = {
    ...extra,
    ...files,
    rejectUnauthorized: checksChain,
    ...(checksChain && mode !== "verify-full" ? { checkServerIdentity: () => undefined } : {}),
  };
  return { ssl, mayFallBack: mode === "prefer", mode };
}

function readPem(path: string, setting: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(`${setting} "${path}" cannot be read: ${messageOf(error)}`);
  }
}
