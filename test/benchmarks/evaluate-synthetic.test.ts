import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { afterAll, describe, expect, it } from "vitest";
import { evaluateCalls } from "../../benchmarks/accuracy/evaluate";

/**
 * Reads made by hand from a random reference with known edits, so every count minimap2 reports can
 * be checked against what was put in (the fixtures test checks the figures on real reads).
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-synthetic-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A fixed-seed generator (mulberry32), so the reference is the same on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASES = "ACGT";
const next = random(20261124);
const randomBases = (n: number): string => Array.from({ length: n }, () => BASES[Math.floor(next() * 4)]).join("");
const reverseComplement = (s: string): string =>
  [...s].reverse().map((b) => ({ A: "T", C: "G", G: "C", T: "A" })[b] ?? "N").join("");
/** Another base than `b`. */
const substitute = (b: string): string => BASES[(BASES.indexOf(b) + 1 + Math.floor(next() * 3)) % 4];

const reference = randomBases(8000);
// Read "edited": reference 1000..3000 with one mismatch, a 4-base deletion and a 3-base insertion.
const segment = reference.slice(1000, 3000);
const inserted = substitute(segment[1599]) + substitute(segment[1600]) + substitute(segment[1600]);
const edited = segment.slice(0, 500) + substitute(segment[500]) + segment.slice(501, 1200) + segment.slice(1204, 1600) + inserted + segment.slice(1600);
// Read "reverse": the other strand of 4000..5500 with two mismatches.
const forward = reference.slice(4000, 5500);
const reverse = reverseComplement(forward.slice(0, 400) + substitute(forward[400]) + forward.slice(401, 900) + substitute(forward[900]) + forward.slice(901));
const unrelated = randomBases(900);

function fastq(records: Array<[string, string]>): string {
  return records.map(([id, seq]) => `@${id} made-by-hand\n${seq}\n+\n${"5".repeat(seq.length)}\n`).join("");
}

describe("evaluate on hand-made reads with known edits", () => {
  it("counts exactly the mismatches, insertions and deletions that were put in, on both strands", async () => {
    const ref = path.join(tmp, "ref.fa");
    fs.writeFileSync(ref, `>synthetic\n${reference.match(/.{1,70}/g)?.join("\n")}\n`);
    const calls = path.join(tmp, "calls.fq.gz");
    fs.writeFileSync(calls, zlib.gzipSync(fastq([["edited", edited], ["reverse", reverse], ["unrelated", unrelated]])));

    const { summary, reads } = await evaluateCalls(calls, ref);
    const byId = new Map([...reads.rows()].map((r) => [r.read, r.alignment]));
    // edited: 2000 reference bases, 4 deleted, 1 mismatched -> 1995 matches; columns 1995 + 1 + 3 + 4
    expect(byId.get("edited")).toMatchObject({ target: "synthetic", matches: 1995, columns: 2003, mismatches: 1, insertions: 3, deletions: 4 });
    expect(byId.get("reverse")).toMatchObject({ matches: 1498, columns: 1500, mismatches: 2, insertions: 0, deletions: 0 });
    expect(byId.get("unrelated")).toBeUndefined();

    expect(summary).toMatchObject({ reads: 3, bases: edited.length + reverse.length + unrelated.length, aligned_reads: 2 });
    expect(summary.unaligned_fraction).toBeCloseTo(1 / 3, 12);
    // Rates are totals over the best alignments divided by their total columns (3503).
    expect(summary.mismatch_rate).toBeCloseTo(3 / 3503, 12);
    expect(summary.insertion_rate).toBeCloseTo(3 / 3503, 12);
    expect(summary.deletion_rate).toBeCloseTo(4 / 3503, 12);
    expect(summary.mean_identity).toBeCloseTo((1995 / 2003 + 1498 / 1500) / 2, 12);
    expect(summary.median_identity).toBeCloseTo((1995 / 2003 + 1498 / 1500) / 2, 12);
  });
});
