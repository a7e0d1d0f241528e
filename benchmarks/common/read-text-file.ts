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

/**
 * Refuses, naming the file (and the option it came from, where given), a path that is not a regular
 * file: none there, a directory, a symbolic link loop, a FIFO or device (which a read would wait on
 * forever). `expected` says what it should be.
 */
export function assertReadableFile(file: string, expected: string, option?: string): void {
  const named = option === undefined ? file : `${option} ${file}`;
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(file, { throwIfNoEntry: false });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(code === "ELOOP" ? `${named}: is a symbolic link loop; give ${expected}` : `${named}: cannot read (${code ?? String(error)})`);
  }
  if (stat === undefined) throw new CliError(`${named}: no such file`);
  if (stat.isDirectory()) throw new CliError(`${named}: is a directory; give ${expected}`);
  if (!stat.isFile()) throw new CliError(`${named}: is not a regular file (a FIFO, socket or device); give ${expected}`);
}

/**
 * Whether anything is at `file`: a symbolic link counts even where it leads nowhere (or in a loop),
 * so that reading it names what is wrong instead of the file being taken for absent.
 */
export function pathPresent(file: string): boolean {
  return fs.lstatSync(file, { throwIfNoEntry: false }) !== undefined;
}

/** A read that failed part-way (EACCES, EIO), as one line naming the file. */
export function cannotRead(file: string, error: unknown): CliError {
  const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
  return new CliError(`${file}: cannot read (${code}); check that it is a readable file`);
}
