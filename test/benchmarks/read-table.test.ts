import { describe, expect, it } from "vitest";
import { summarizeAccuracy } from "../../benchmarks/accuracy/evaluate";
import type { PafAlignment } from "../../benchmarks/accuracy/paf";
import { ReadTable } from "../../benchmarks/accuracy/read-table";

function paf(query: string, columns: number, matches: number, primary = true, target = "lambda"): PafAlignment {
  return { query, queryLength: 100, target, matches, columns, primary, mismatches: columns - matches, insertions: 0, deletions: 0 };
}

describe("the per-read table of evaluate", () => {
  it("keeps each read's primary alignment with the most columns, in file order, past its first growth", () => {
    const table = new ReadTable();
    // minimap2 may answer before the parser has counted the read: the alignment waits for it.
    table.addAlignment(paf("r0", 50, 40));
    for (let i = 0; i < 3000; i++) table.addRead(`r${i}`, i + 1);
    table.addAlignment(paf("r0", 40, 40));
    table.addAlignment(paf("r0", 90, 45, false));
    table.addAlignment(paf("r2999", 10, 9, true, "other"));
    table.addAlignment(paf("r2999", 20, 10));
    expect(table.size).toBe(3000);
    expect(table.readLength(2999)).toBe(3000);
    expect(table.alignment(0)).toEqual({ target: "lambda", matches: 40, columns: 50, mismatches: 10, insertions: 0, deletions: 0 });
    expect(table.alignment(2999)).toMatchObject({ target: "lambda", matches: 10, columns: 20 });
    expect(table.alignment(1)).toBeUndefined();
    const summary = summarizeAccuracy(table);
    expect(summary).toMatchObject({ reads: 3000, bases: (3000 * 3001) / 2, aligned_reads: 2, median_identity: (0.8 + 0.5) / 2 });
    expect(summary.mismatch_rate).toBeCloseTo(20 / 70, 12);
  });

  it("names the first id that appears twice", () => {
    const table = new ReadTable();
    for (const id of ["a", "b", "a", "b"]) table.addRead(id, 1);
    expect(() => table.checkUniqueIds("calls.fq")).toThrow("calls.fq: read id a appears twice (records 1 and 3); give each read its own id");
  });
});
