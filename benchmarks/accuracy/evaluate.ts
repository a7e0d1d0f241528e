import { spawn } from "child_process";
import * as readline from "readline";
import type { Accuracy } from "../../domain/summary";
import { CliError } from "../common/cli-error";
import { readSequences } from "../common/sequences";
import { PafAlignment, parsePafLine } from "./paf";
import { AlignmentCounts, ReadTable } from "./read-table";
import { SequenceCounts, swapWarnings } from "./swap-check";

/** The minimap2 settings of the benchmark protocol (ARCHITECTURE section 6). */
export const MINIMAP2_ARGS = ["-x", "map-ont", "-c", "--eqx", "--secondary=no"];

/** Identity = matches / aligned columns (PAF column 10 over column 11). */
export function identity(alignment: Pick<AlignmentCounts, "matches" | "columns">): number {
  return alignment.columns === 0 ? 0 : alignment.matches / alignment.columns;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return medianOfSorted([...values].sort((a, b) => a - b));
}

function medianOfSorted(sorted: ArrayLike<number>): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The figures of a set of reads; rates are totals over the best alignments over their columns. */
export function summarizeAccuracy(table: ReadTable): Accuracy {
  // The identities are the one figure that needs every aligned read at once (for the median).
  const identities = new Float64Array(table.size);
  let aligned = 0;
  let bases = 0;
  let columns = 0;
  let mismatches = 0;
  let insertions = 0;
  let deletions = 0;
  let sum = 0;
  for (let i = 0; i < table.size; i++) {
    bases += table.readLength(i);
    const a = table.alignment(i);
    if (a === undefined) continue;
    identities[aligned] = identity(a);
    sum += identities[aligned];
    aligned += 1;
    columns += a.columns;
    mismatches += a.mismatches;
    insertions += a.insertions;
    deletions += a.deletions;
  }
  const sorted = identities.subarray(0, aligned).sort();
  const rate = (count: number): number | null => (columns === 0 ? null : count / columns);
  return {
    reads: table.size,
    bases,
    aligned_reads: aligned,
    unaligned_fraction: table.size === 0 ? 0 : (table.size - aligned) / table.size,
    median_identity: aligned === 0 ? null : medianOfSorted(sorted),
    mean_identity: aligned === 0 ? null : sum / aligned,
    mismatch_rate: rate(mismatches),
    insertion_rate: rate(insertions),
    deletion_rate: rate(deletions),
  };
}

/**
 * Starts minimap2 on queries fed to its stdin and streams its PAF into `onAlignment`, line by
 * line: no PAF line outlives its parsing.
 */
export function startAlignment(
  reference: string,
  threads: number,
  onAlignment: (alignment: PafAlignment) => void,
  minimap2 = "minimap2",
): { stdin: NodeJS.WritableStream; done: Promise<void> } {
  const child = spawn(minimap2, [...MINIMAP2_ARGS, "-t", String(threads), reference, "-"], { stdio: ["pipe", "pipe", "pipe"] });
  // minimap2 may exit before reading all of stdin (a bad reference); its own error says why.
  child.stdin.on("error", () => undefined);
  const done = new Promise<void>((resolve, reject) => {
    let stderr = "";
    let failure: Error | undefined;
    child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "ENOENT" ? new CliError(`${minimap2} not found: install minimap2 (Debian: apt-get install minimap2)`) : error),
    );
    const lines = readline.createInterface({ input: child.stdout, crlfDelay: Infinity });
    lines.on("line", (line) => {
      if (failure !== undefined || line === "") return;
      try {
        onAlignment(parsePafLine(line));
      } catch (error) {
        failure = new CliError(`minimap2 output: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    child.on("close", (code) => {
      if (failure !== undefined) reject(failure);
      else if (code !== 0) reject(new CliError(`minimap2 exited ${code}: ${stderr.trim().split("\n").pop() ?? ""}`));
      else resolve();
    });
  });
  return { stdin: child.stdin, done };
}

/** Checks a reference has at least one sequence of non-zero length; counts its sequences. */
export async function checkReference(reference: string): Promise<SequenceCounts> {
  let bases = 0;
  let sequences = 0;
  let format: SequenceCounts["format"] = "fasta";
  for await (const record of readSequences(reference)) {
    bases += record.length;
    sequences += 1;
    format = record.format;
  }
  if (bases === 0) throw new CliError(`${reference}: the reference has no bases`);
  return { sequences, format };
}

/**
 * Accuracy of basecalls against a reference. Reads are counted from the calls file itself, so a
 * read minimap2 leaves out counts as unaligned rather than disappearing.
 */
export async function evaluateCalls(
  calls: string,
  reference: string,
  threads = 2,
): Promise<{ summary: Accuracy; reads: ReadTable; warnings: string[] }> {
  const table = new ReadTable();
  // The calls are read once: each chunk is counted here and fed to minimap2 while it aligns.
  const alignment = startAlignment(reference, threads, (a) => table.addAlignment(a));
  const readRecords = async (): Promise<void> => {
    for await (const record of readSequences(calls, alignment.stdin)) table.addRead(record.id, record.length);
  };
  const [referenceCheck, recordsRead, aligned] = await Promise.allSettled([checkReference(reference), readRecords(), alignment.done]);
  // An input's own problem explains a minimap2 failure better than minimap2's message does.
  for (const outcome of [referenceCheck, recordsRead, aligned]) {
    if (outcome.status === "rejected") throw outcome.reason;
  }
  table.checkUniqueIds(calls);
  const warnings = swapWarnings(calls, table.size, reference, (referenceCheck as PromiseFulfilledResult<SequenceCounts>).value);
  return { summary: summarizeAccuracy(table), reads: table, warnings };
}

export const PER_READ_HEADER = "read_id\tlength\taligned\ttarget\tidentity\tmatches\tcolumns\tmismatches\tinsertions\tdeletions";

/** The per-read TSV (`--per-read`), a line at a time: one row per read, aligned or not. */
export function* perReadRows(reads: ReadTable): Generator<string> {
  yield `${PER_READ_HEADER}\n`;
  for (let i = 0; i < reads.size; i++) {
    const a = reads.alignment(i);
    const head = `${reads.id(i)}\t${reads.readLength(i)}`;
    yield a === undefined
      ? `${head}\tno\t\t\t\t\t\t\t\n`
      : `${head}\tyes\t${a.target}\t${identity(a).toFixed(6)}\t${a.matches}\t${a.columns}\t${a.mismatches}\t${a.insertions}\t${a.deletions}\n`;
  }
}
