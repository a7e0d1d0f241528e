/** A user mistake (bad input, missing file): printed as one line, exit status 1, no stack trace. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliError";
  }
}

/** Runs a command body, turning a CliError into its one-line message and exit status 1. */
export async function runCommand(name: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`edgecall ${name}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
