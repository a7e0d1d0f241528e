import type { SequenceFormat } from "../common/sequences";

/**
 * A reference with at least this many sequences against a single call looks like `--calls` and
 * `--reference` given the wrong way round: reads aligned onto a genome then give plausible but
 * meaningless figures. Ten keeps a genome of a few contigs (a chromosome and plasmids) quiet.
 */
export const MANY_REFERENCE_SEQUENCES = 10;

export interface SequenceCounts {
  sequences: number;
  format: SequenceFormat;
}

/** Warnings (one line each) when the inputs look swapped; evaluating goes on either way. */
export function swapWarnings(calls: string, callCount: number, reference: string, ref: SequenceCounts): string[] {
  const warnings: string[] = [];
  if (callCount === 1 && ref.sequences >= MANY_REFERENCE_SEQUENCES) {
    warnings.push(
      `warning: the reference ${reference} has ${ref.sequences} sequences and the calls ${calls} one: are --calls and --reference swapped?`,
    );
  }
  if (ref.format === "fastq") {
    warnings.push(`warning: the reference ${reference} is FASTQ (reads, not a genome): are --calls and --reference swapped?`);
  }
  return warnings;
}
