import * as fs from "fs";
import * as readline from "readline";
import { CliError } from "./cli-error";

/**
 * The lines of a text file, read as a stream: a log of any size in constant memory, where reading
 * it whole fails past V8's longest string (about 512 MB) with a message that names no file.
 * Errors name the file, as readTextFile's do; `expected` says what the file should be.
 */
export async function* readLines(file: string, expected: string): AsyncGenerator<string> {
  if (!fs.existsSync(file)) throw new CliError(`${file}: no such file`);
  if (fs.statSync(file).isDirectory()) throw new CliError(`${file}: is a directory; give ${expected}`);
  const input = fs.createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 20 });
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) yield line;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new CliError(`${file}: cannot read (${code}); check that it is a readable file`);
  } finally {
    lines.close();
    input.destroy();
  }
}
