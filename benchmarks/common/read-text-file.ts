import * as fs from "fs";
import { CliError } from "./cli-error";

/**
 * A file's text, or a CliError naming the file and what to do: Node's own errors (EISDIR, EACCES)
 * name neither the file nor the command. `expected` says what the file should be ("a tegrastats
 * log file"), for the message about a directory.
 */
export function readTextFile(file: string, expected: string): string {
  if (!fs.existsSync(file)) throw new CliError(`${file}: no such file`);
  if (fs.statSync(file).isDirectory()) throw new CliError(`${file}: is a directory; give ${expected}`);
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new CliError(`${file}: cannot read (${code}); check that it is a readable file`);
  }
}
