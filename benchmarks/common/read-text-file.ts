import * as fs from "fs";
import { CliError } from "./cli-error";

/**
 * A file's text, or a CliError naming the file and what to do: Node's own errors (EISDIR, EACCES)
 * name neither the file nor the command. `expected` says what the file should be ("a tegrastats
 * log file"), for the message about a directory.
 */
export function readTextFile(file: string, expected: string): string {
  assertReadableFile(file, expected);
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    throw cannotRead(file, error);
  }
}

/** Refuses, naming the file, a path that does not exist or is a directory; `expected` says what it should be. */
export function assertReadableFile(file: string, expected: string): void {
  if (!fs.existsSync(file)) throw new CliError(`${file}: no such file`);
  if (fs.statSync(file).isDirectory()) throw new CliError(`${file}: is a directory; give ${expected}`);
}

/** A read that failed part-way (EACCES, EIO), as one line naming the file. */
export function cannotRead(file: string, error: unknown): CliError {
  const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
  return new CliError(`${file}: cannot read (${code}); check that it is a readable file`);
}
