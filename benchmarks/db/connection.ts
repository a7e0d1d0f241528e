import * as net from "net";
import { Client } from "pg";
import { CliError } from "../common/cli-error";
import { maskUrl, maskUrlIn } from "../../domain/mask-url";
import { parseDatabaseUrl } from "./database-url";

/** How long `db` waits for the server to connect or to finish one statement, unless --timeout-s says otherwise. */
export const DEFAULT_TIMEOUT_S = 30;

/** An open connection and how to close it without waiting on a server that stopped answering. */
export interface Database {
  client: Client;
  /** Turns a failed statement into one line naming the server (password masked). */
  explain(error: unknown): CliError;
  close(): Promise<void>;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Connects with a limit on the connection and on every statement (client side, and server side
 * so a statement stuck on a lock is cancelled too): a server that accepts TCP and never answers
 * would otherwise hang `db push` forever. Failures are one line that never shows the password.
 */
export async function connect(url: string, timeoutS = DEFAULT_TIMEOUT_S): Promise<Database> {
  const address = parseDatabaseUrl(url);
  const where = `${address.host}:${address.port}`;
  const timeoutMs = Math.max(1, Math.round(timeoutS * 1000));
  const noAnswer = `no answer from ${where} within ${timeoutS} s (--timeout-s)`;
  // Our own socket, so closing can drop it when the server never acknowledges the goodbye.
  let socket: net.Socket | undefined;
  const client = new Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    statement_timeout: timeoutMs,
    stream: () => {
      socket = new net.Socket();
      return socket;
    },
  });
  const close = async (): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([client.end().catch(() => undefined), gaveUp]);
    clearTimeout(timer);
    socket?.destroy();
  };
  try {
    await client.connect();
  } catch (error) {
    socket?.destroy();
    const reason = /timeout/i.test(messageOf(error)) ? `${noAnswer}: check the host and port, or raise --timeout-s` : maskUrlIn(messageOf(error), url);
    throw new CliError(`cannot connect to ${maskUrl(url)}: ${reason}`);
  }
  const explain = (error: unknown): CliError => {
    if (error instanceof CliError) return error;
    const message = messageOf(error);
    if (/Query read timeout|statement timeout/i.test(message)) return new CliError(`${maskUrl(url)}: ${noAnswer} to a statement; raise --timeout-s if the server is busy`);
    const hint = /relation "runs" does not exist/.test(message) ? " (run 'edgecall db migrate' first)" : "";
    return new CliError(`${maskUrl(url)}: ${maskUrlIn(message, url)}${hint}`);
  };
  return { client, explain, close };
}
