import * as fs from "fs";
import * as readline from "readline";
import * as zlib from "zlib";
import { CliError } from "./cli-error";

/** One record of a FASTQ or FASTA file: its id and its sequence length. */
export interface SequenceRecord {
  id: string;
  length: number;
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** Whether a file is gzip-compressed, by its first two bytes (not its name). */
export function isGzip(file: string): boolean {
  const fd = fs.openSync(file, "r");
  try {
    const head = Buffer.alloc(2);
    const read = fs.readSync(fd, head, 0, 2, 0);
    return read === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  } finally {
    fs.closeSync(fd);
  }
}

function openLines(file: string): readline.Interface {
  if (!fs.existsSync(file)) throw new CliError(`${file}: no such file`);
  if (!fs.statSync(file).isFile()) throw new CliError(`${file}: not a file`);
  const raw = fs.createReadStream(file);
  const stream = isGzip(file) ? raw.pipe(zlib.createGunzip()) : raw;
  stream.on("error", () => undefined);
  return readline.createInterface({ input: stream, crlfDelay: Infinity });
}

/**
 * Reads every record of a FASTQ or FASTA file (plain or gzip) in order. The format is told by the
 * first character; a file that is neither, is empty, or ends inside a record is a CliError naming
 * the file and line, so no read is ever dropped silently.
 */
export async function* readSequences(file: string): AsyncGenerator<SequenceRecord> {
  let lineNo = 0;
  let format: "fastq" | "fasta" | undefined;
  let current: SequenceRecord | undefined;
  let fastqLine = 0;
  let records = 0;
  try {
    for await (const rawLine of openLines(file)) {
      lineNo += 1;
      const line = rawLine.trimEnd();
      if (format === undefined) {
        if (line === "") continue;
        if (line.startsWith("@")) format = "fastq";
        else if (line.startsWith(">")) format = "fasta";
        else throw new CliError(`${file}:${lineNo}: not FASTQ or FASTA (expected '@' or '>' at the start)`);
      }
      if (format === "fasta") {
        if (line.startsWith(">")) {
          if (current !== undefined) {
            records += 1;
            yield current;
          }
          current = { id: line.slice(1).split(/\s/)[0], length: 0 };
        } else if (current !== undefined) {
          current.length += line.length;
        }
        continue;
      }
      // FASTQ: four lines per record (the usual, unwrapped layout).
      switch (fastqLine) {
        case 0:
          if (!line.startsWith("@")) throw new CliError(`${file}:${lineNo}: expected a FASTQ header starting with '@'`);
          current = { id: line.slice(1).split(/\s/)[0], length: 0 };
          break;
        case 1:
          if (current !== undefined) current.length = line.length;
          break;
        case 2:
          if (!line.startsWith("+")) throw new CliError(`${file}:${lineNo}: expected the FASTQ '+' line`);
          break;
        case 3:
          if (current !== undefined && line.length !== current.length) {
            throw new CliError(`${file}:${lineNo}: quality length ${line.length} differs from sequence length ${current.length}`);
          }
          if (current !== undefined) {
            records += 1;
            yield current;
          }
          current = undefined;
          break;
      }
      fastqLine = (fastqLine + 1) % 4;
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${file}: cannot read (${error instanceof Error ? error.message : String(error)})`);
  }
  if (format === "fasta" && current !== undefined) {
    records += 1;
    yield current;
  }
  if (format === "fastq" && fastqLine !== 0) throw new CliError(`${file}:${lineNo}: file ends inside a FASTQ record`);
  if (records === 0) throw new CliError(`${file}: no sequences`);
}
