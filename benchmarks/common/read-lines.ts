import * as fs from "fs";
import * as readline from "readline";
import { assertReadableFile, cannotRead } from "./read-text-file";

/**
 * The lines of a text file, read as a stream: a log of any size in constant memory, where reading
 * it whole fails past V8's longest string (about 512 MB) with a message that names no file.
 * Errors name the file, as readTextFile's do; `expected` says what the file should be.
 */
export async function* readLines(file: string, expected: string): AsyncGenerator<string> {
  assertReadableFile(file, expected);
  const input = fs.createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 20 });
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) yield line;
  } catch (error) {
    throw cannotRead(file, error);
  } finally {
    lines.close();
    input.destroy();
  }
}
