import { spawn } from "child_process";
import * as readline from "readline";
import type { Accuracy } from "../summary";
import { CliError } from "../common/cli-error";
import { readSequences } from "../common/sequences";
import { PafAlignment, parsePafLine } from "./paf";
import { SequenceCounts, swapWarnings } from "./swap-check";

/** The minimap2 settings of the benchmark protocol (ARCHITECTURE section 6). */
export const MINIMAP2_ARGS = ["-x", "map-ont", "-c", "--eqx", "--secondary=no"];

/** One read's outcome: its best primary alignment, or none. */
export interface ReadAccuracy {
  read: string;
  length: number;
  alignment: PafAlignment | undefined;
}

/** Identity = matches / aligned columns (PAF column 10 over column 11). */
export function identity(alignment: PafAlignment): number {
  return alignment.columns === 0 ? 0 : alignment.matches / alignment.columns;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Keeps, per read, the primary alignment with the most aligned columns. */
export function bestPrimary(best: Map<string, PafAlignment>, alignment: PafAlignment): void {
  if (!alignment.primary) return;
  const current = best.get(alignment.query);
  if (current === undefined || alignment.columns > current.columns) best.set(alignment.query, alignment);
}

/** The figures of a set of reads; rates are totals over the best alignments over their columns. */
export function summarizeAccuracy(reads: readonly ReadAccuracy[]): Accuracy {
  const aligned = reads.flatMap((r) => (r.alignment === undefined ? [] : [r.alignment]));
  const identities = aligned.map(identity);
  const columns = aligned.reduce((sum, a) => sum + a.columns, 0);
  const rate = (count: (a: PafAlignment) => number): number | null =>
    columns === 0 ? null : aligned.reduce((sum, a) => sum + count(a), 0) / columns;
  return {
    reads: reads.length,
    bases: reads.reduce((sum, r) => sum + r.length, 0),
    aligned_reads: aligned.length,
    unaligned_fraction: reads.length === 0 ? 0 : (reads.length - aligned.length) / reads.length,
    median_identity: median(identities),
    mean_identity: identities.length === 0 ? null : identities.reduce((a, b) => a + b, 0) / identities.length,
    mismatch_rate: rate((a) => a.mismatches),
    insertion_rate: rate((a) => a.insertions),
    deletion_rate: rate((a) => a.deletions),
  };
}

/**
 * Starts minimap2 on queries fed to its stdin and streams its PAF, keeping only each read's best
 * primary alignment.
 */
export function startAlignment(
  reference: string,
  threads: number,
  minimap2 = "minimap2",
): { stdin: NodeJS.WritableStream; best: Promise<Map<string, PafAlignment>> } {
  const child = spawn(minimap2, [...MINIMAP2_ARGS, "-t", String(threads), reference, "-"], { stdio: ["pipe", "pipe", "pipe"] });
  // minimap2 may exit before reading all of stdin (a bad reference); its own error says why.
  child.stdin.on("error", () => undefined);
  const best = new Promise<Map<string, PafAlignment>>((resolve, reject) => {
    const best = new Map<string, PafAlignment>();
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
        bestPrimary(best, parsePafLine(line));
      } catch (error) {
        failure = new CliError(`minimap2 output: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    child.on("close", (code) => {
      if (failure !== undefined) reject(failure);
      else if (code !== 0) reject(new CliError(`minimap2 exited ${code}: ${stderr.trim().split("\n").pop() ?? ""}`));
      else resolve(best);
    });
  });
  return { stdin: child.stdin, best };
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

/** minimap2 names alignments by read id only, so two reads sharing one could not be told apart. */
function checkUniqueIds(file: string, records: readonly { id: string }[]): void {
  const seen = new Map<string, number>();
  records.forEach((record, index) => {
    const first = seen.get(record.id);
    if (first !== undefined) {
      throw new CliError(`${file}: read id ${record.id} appears twice (records ${first + 1} and ${index + 1}); give each read its own id`);
    }
    seen.set(record.id, index);
  });
}

/**
 * Accuracy of basecalls against a reference. Reads are counted from the calls file itself, so a
 * read minimap2 leaves out counts as unaligned rather than disappearing.
 */
export async function evaluateCalls(
  calls: string,
  reference: string,
  threads = 2,
): Promise<{ summary: Accuracy; reads: ReadAccuracy[]; warnings: string[] }> {
  // The calls are read once: each chunk is counted here and fed to minimap2 while it aligns.
  const alignment = startAlignment(reference, threads);
  const readRecords = async (): Promise<{ id: string; length: number }[]> => {
    const records: { id: string; length: number }[] = [];
    for await (const record of readSequences(calls, alignment.stdin)) records.push(record);
    return records;
  };
  const [referenceCheck, recordsRead, aligned] = await Promise.allSettled([checkReference(reference), readRecords(), alignment.best]);
  // An input's own problem explains a minimap2 failure better than minimap2's message does.
  for (const outcome of [referenceCheck, recordsRead, aligned]) {
    if (outcome.status === "rejected") throw outcome.reason;
  }
  const records = (recordsRead as PromiseFulfilledResult<{ id: string; length: number }[]>).value;
  checkUniqueIds(calls, records);
  const best = (aligned as PromiseFulfilledResult<Map<string, PafAlignment>>).value;
  const reads = records.map((r) => ({ read: r.id, length: r.length, alignment: best.get(r.id) }));
  const warnings = swapWarnings(calls, records.length, reference, (referenceCheck as PromiseFulfilledResult<SequenceCounts>).value);
  return { summary: summarizeAccuracy(reads), reads, warnings };
}

/** The per-read TSV (`--per-read`): one row per read, aligned or not. */
export function perReadTsv(reads: readonly ReadAccuracy[]): string {
  const header = "read_id\tlength\taligned\ttarget\tidentity\tmatches\tcolumns\tmismatches\tinsertions\tdeletions";
  const rows = reads.map((r) => {
    const a = r.alignment;
    return a === undefined
      ? `${r.read}\t${r.length}\tno\t\t\t\t\t\t\t`
      : `${r.read}\t${r.length}\tyes\t${a.target}\t${identity(a).toFixed(6)}\t${a.matches}\t${a.columns}\t${a.mismatches}\t${a.insertions}\t${a.deletions}`;
  });
  return `${[header, ...rows].join("\n")}\n`;
}
