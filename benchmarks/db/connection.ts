import { Client } from "pg";
import { CliError } from "../common/cli-error";

/** A database URL with its password replaced, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/, "$1***@");
}

/** Connects, turning a failure into one line that never shows the password. */
export async function connect(url: string): Promise<Client> {
  if (!/^postgres(ql)?:\/\//.test(url)) throw new CliError(`--url must be a postgres:// URL, got ${redactUrl(url)}`);
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(`cannot connect to ${redactUrl(url)}: ${reason.split(url).join(redactUrl(url))}`);
  }
  return client;
}
