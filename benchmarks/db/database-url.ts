import { CliError } from "../common/cli-error";
import { maskUrl } from "../../domain/mask-url";

/** Where a database URL points, for messages that must say which server did not answer. */
export interface DatabaseAddress {
  host: string;
  port: number;
}

const SHAPE = "postgres://USER:PASSWORD@HOST:PORT/DATABASE";
const DEFAULT_PORT = 5432;

/**
 * Checks `--url` before the driver sees it: the driver's own errors ("Invalid URL") name neither
 * the option nor the fix. Every message shows the URL with its password masked.
 */
export function parseDatabaseUrl(url: string): DatabaseAddress {
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new CliError(`--url must be a postgres:// or postgresql:// URL (${SHAPE}), got ${maskUrl(url)}`);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    const port = /^[^/]*\/\/(?:[^/]*@)?[^/@:?#]*:(\d+)(?:[/?#]|$)/.exec(url)?.[1];
    if (port !== undefined && Number(port) > 65535) {
      throw new CliError(`--url ${maskUrl(url)}: port ${port} is out of range; give a port from 1 to 65535`);
    }
    throw new CliError(`--url ${maskUrl(url)}: not a valid URL; expected ${SHAPE}, with special characters in the password percent-encoded`);
  }
  return { host: parsed.hostname === "" ? "localhost" : parsed.hostname, port: parsed.port === "" ? DEFAULT_PORT : Number(parsed.port) };
}
