import { CliError } from "../common/cli-error";
import { ownString } from "../common/own-string";
import { IdStore } from "./id-store";
import type { PafAlignment } from "./paf";

/** The counts kept of a read's best alignment: what the figures and the per-read TSV need. */
export interface AlignmentCounts {
  target: string;
  matches: number;
  columns: number;
  mismatches: number;
  insertions: number;
  deletions: number;
}

function grow<T extends Float64Array | Int32Array>(array: T, make: (size: number) => T): T {
  const bigger = make(array.length * 2);
  bigger.set(array);
  return bigger;
}

/**
 * Every read of a calls file in order, with its best primary alignment, in typed columns: about
 * 70 bytes per read plus its id's bytes, and no heap object per read, where an object per read
 * (and the input chunk its id was cut from) cost kilobytes. The
 * columns are doubles so that counts past 2^32 (a long read's columns never are, but totals may)
 * stay exact.
 */
export class ReadTable {
  private readonly ids = new IdStore();
  private length = new Float64Array(1024);
  /** Per read: index into `targets`, or -1 while unaligned. */
  private target = new Int32Array(1024).fill(-1);
  private counts = new Float64Array(1024 * 5);
  private readonly targets: string[] = [];
  private readonly targetIndex = new Map<string, number>();
  /** Alignments of reads not yet counted (minimap2 may answer before the parser reaches the read). */
  private readonly early = new Map<string, AlignmentCounts>();
  /** The first id seen twice: an error, raised once the inputs' own problems have had their say. */
  duplicate: string | undefined;

  get size(): number {
    return this.ids.size;
  }

  addRead(id: string, length: number): void {
    const i = this.ids.size;
    if (i === this.length.length) {
      this.length = grow(this.length, (n) => new Float64Array(n));
      const target = new Int32Array(i * 2).fill(-1);
      target.set(this.target);
      this.target = target;
      this.counts = grow(this.counts, (n) => new Float64Array(n));
    }
    const first = this.ids.add(id);
    if (first !== undefined) this.duplicate ??= `read id ${id} appears twice (records ${first + 1} and ${i + 1}); give each read its own id`;
    this.length[i] = length;
    const early = this.early.get(id);
    if (early !== undefined) {
      this.early.delete(id);
      this.store(i, early);
    }
  }

  /** Keeps the primary alignment with the most aligned columns of its read. */
  addAlignment(alignment: PafAlignment): void {
    if (!alignment.primary) return;
    const i = this.ids.find(alignment.query);
    if (i === undefined) {
      const current = this.early.get(alignment.query);
      if (current === undefined || alignment.columns > current.columns) this.early.set(ownString(alignment.query), countsOf(alignment));
      return;
    }
    if (this.target[i] === -1 || alignment.columns > this.counts[i * 5 + 1]) this.store(i, countsOf(alignment));
  }

  /** Refuses a calls file with an id twice: minimap2 names alignments by id only, so they could not be told apart. */
  checkUniqueIds(file: string): void {
    if (this.duplicate !== undefined) throw new CliError(`${file}: ${this.duplicate}`);
  }

  id(i: number): string {
    return this.ids.get(i);
  }

  readLength(i: number): number {
    return this.length[i];
  }

  alignment(i: number): AlignmentCounts | undefined {
    const t = this.target[i];
    if (t === -1) return undefined;
    const c = this.counts;
    const o = i * 5;
    return { target: this.targets[t], matches: c[o], columns: c[o + 1], mismatches: c[o + 2], insertions: c[o + 3], deletions: c[o + 4] };
  }

  /** The reads in file order, one object at a time (for tests and small inputs). */
  *rows(): Generator<{ read: string; length: number; alignment: AlignmentCounts | undefined }> {
    for (let i = 0; i < this.size; i++) yield { read: this.ids.get(i), length: this.length[i], alignment: this.alignment(i) };
  }

  private store(i: number, a: AlignmentCounts): void {
    let t = this.targetIndex.get(a.target);
    if (t === undefined) {
      t = this.targets.length;
      const own = ownString(a.target);
      this.targets.push(own);
      this.targetIndex.set(own, t);
    }
    this.target[i] = t;
    this.counts.set([a.matches, a.columns, a.mismatches, a.insertions, a.deletions], i * 5);
  }
}

function countsOf(a: PafAlignment): AlignmentCounts {
  return { target: a.target, matches: a.matches, columns: a.columns, mismatches: a.mismatches, insertions: a.insertions, deletions: a.deletions };
}
