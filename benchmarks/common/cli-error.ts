/** A user mistake (bad input, missing file): printed as one line, exit status 1, no stack trace. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliError";
  }
}

/**
 * Runs a command body; any error ends as one line with the command's name and exit status 1. A
 * CliError already says what to do; anything else (a raw Node error nobody foresaw) at least
 * names the command, with only its first line, so no stack trace reaches the user.
 */
export async function runCommand(name: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`edgecall ${name}: ${error instanceof CliError ? message : message.split("\n")[0]}\n`);
    return 1;
  }
}
