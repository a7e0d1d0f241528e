import { once } from "events";
import * as fs from "fs";
import type { Writable } from "stream";
import * as zlib from "zlib";
import { CliError } from "./cli-error";

export type SequenceFormat = "fastq" | "fasta";

/** One record of a FASTQ or FASTA file: its id, its sequence length and the file's format. */
export interface SequenceRecord {
  id: string;
  length: number;
  format: SequenceFormat;
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

function openStream(file: string): NodeJS.ReadableStream {
  if (!fs.existsSync(file)) throw new CliError(`${file}: no such file`);
  if (!fs.statSync(file).isFile()) throw new CliError(`${file}: not a file`);
  const raw = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  return isGzip(file) ? raw.pipe(zlib.createGunzip({ chunkSize: 1 << 20 })) : raw;
}

function isClosed(stream: NodeJS.WritableStream): boolean {
  const writable = stream as Writable;
  return writable.destroyed === true || writable.writableEnded === true;
}

/** Turns lines into records; a line-at-a-time state machine over FASTQ (four lines) or FASTA. */
class RecordParser {
  lineNo = 0;
  records = 0;
  private format: SequenceFormat | undefined;
  private current: SequenceRecord | undefined;
  private fastqLine = 0;

  constructor(private readonly file: string) {}

  line(raw: string, out: SequenceRecord[]): void {
    this.lineNo += 1;
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (this.format === undefined) {
      if (line.trim() === "") return;
      if (line.startsWith("@")) this.format = "fastq";
      else if (line.startsWith(">")) this.format = "fasta";
      else throw new CliError(`${this.file}:${this.lineNo}: not FASTQ or FASTA (expected '@' or '>' at the start)`);
    }
    if (this.format === "fasta") {
      if (line.startsWith(">")) {
        if (this.current !== undefined) this.emit(out);
        this.current = { id: line.slice(1).split(/\s/)[0], length: 0, format: "fasta" };
      } else if (this.current !== undefined) {
        this.current.length += line.trimEnd().length;
      }
      return;
    }
    switch (this.fastqLine) {
      case 0:
        if (!line.startsWith("@")) throw new CliError(`${this.file}:${this.lineNo}: expected a FASTQ header starting with '@'`);
        this.current = { id: line.slice(1).split(/\s/)[0], length: 0, format: "fastq" };
        break;
      case 1:
        if (this.current !== undefined) this.current.length = line.trimEnd().length;
        break;
      case 2:
        if (!line.startsWith("+")) throw new CliError(`${this.file}:${this.lineNo}: expected the FASTQ '+' line`);
        break;
      case 3: {
        const quality = line.trimEnd().length;
        if (this.current !== undefined && quality !== this.current.length) {
          throw new CliError(`${this.file}:${this.lineNo}: quality length ${quality} differs from sequence length ${this.current.length}`);
        }
        this.emit(out);
        break;
      }
    }
    this.fastqLine = (this.fastqLine + 1) % 4;
  }

  finish(out: SequenceRecord[]): void {
    if (this.format === "fasta" && this.current !== undefined) this.emit(out);
    if (this.format === "fastq" && this.fastqLine !== 0) throw new CliError(`${this.file}:${this.lineNo}: file ends inside a FASTQ record`);
    if (this.records === 0) throw new CliError(`${this.file}: no sequences`);
  }

  private emit(out: SequenceRecord[]): void {
    if (this.current === undefined) return;
    out.push(this.current);
    this.records += 1;
    this.current = undefined;
  }
}

/**
 * Reads every record of a FASTQ or FASTA file (plain or gzip) in order. The format is told by the
 * first character; a file that is neither, is empty, or ends inside a record is a CliError naming
 * the file and line, so no read is ever dropped silently. Lines are split per chunk, not per
 * event, because this runs beside minimap2 and its cost shows in `evaluate`'s overhead.
 */
export async function* readSequences(file: string, tee?: NodeJS.WritableStream): AsyncGenerator<SequenceRecord> {
  const parser = new RecordParser(file);
  let rest = "";
  try {
    for await (const chunk of openStream(file)) {
      // The decompressed text also goes to `tee` (minimap2's stdin), so the file is inflated once.
      if (tee !== undefined && !isClosed(tee) && !tee.write(chunk) && !isClosed(tee)) {
        // A consumer that dies (minimap2 missing or failing) closes instead of draining. Whichever
        // event comes first, the other's listener is taken off again: left on, one per wait would
        // pile up on minimap2's stdin for the rest of the run.
        const settled = new AbortController();
        const waits = [once(tee, "drain", { signal: settled.signal }), once(tee, "close", { signal: settled.signal })];
        // The loser rejects with an AbortError once aborted below: expected, not an error.
        for (const wait of waits) wait.catch(() => undefined);
        try {
          await Promise.race(waits);
        } finally {
          settled.abort();
        }
      }
      const lines = (rest + chunk.toString()).split("\n");
      rest = lines.pop() ?? "";
      const out: SequenceRecord[] = [];
      for (const line of lines) parser.line(line, out);
      yield* out;
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${file}: cannot read (${error instanceof Error ? error.message : String(error)})`);
  } finally {
    tee?.end();
  }
  const out: SequenceRecord[] = [];
  if (rest !== "") parser.line(rest, out);
  parser.finish(out);
  yield* out;
}
