/** One PAF alignment line, with the operation counts of its `cg:Z` (`--eqx`) CIGAR. */
export interface PafAlignment {
  query: string;
  queryLength: number;
  target: string;
  /** Column 10: bases that match. */
  matches: number;
  /** Column 11: aligned columns (matches, mismatches, inserted and deleted bases). */
  columns: number;
  primary: boolean;
  mismatches: number;
  insertions: number;
  deletions: number;
}

/** Counts `=`, `X`, `I` and `D` bases of an `--eqx` CIGAR; an `M` means minimap2 ran without `--eqx`. */
export function cigarCounts(cigar: string): { matches: number; mismatches: number; insertions: number; deletions: number } {
  const counts = { matches: 0, mismatches: 0, insertions: 0, deletions: 0 };
  for (const [, length, op] of cigar.matchAll(/(\d+)([=XIDMNSHP])/g)) {
    const n = Number(length);
    if (op === "=") counts.matches += n;
    else if (op === "X") counts.mismatches += n;
    else if (op === "I") counts.insertions += n;
    else if (op === "D") counts.deletions += n;
    else if (op === "M") throw new Error("the CIGAR has M operations: minimap2 must run with --eqx");
  }
  return counts;
}

/** Parses one PAF line produced with `-c --eqx`; throws naming the line's problem. */
export function parsePafLine(line: string): PafAlignment {
  const fields = line.split("\t");
  if (fields.length < 12) throw new Error(`PAF line has ${fields.length} columns, expected at least 12`);
  const tags = new Map(fields.slice(12).map((tag) => [tag.slice(0, 2), tag.slice(5)]));
  const cigar = tags.get("cg");
  if (cigar === undefined) throw new Error("PAF line has no cg:Z CIGAR (minimap2 must run with -c)");
  const counts = cigarCounts(cigar);
  return {
    query: fields[0],
    queryLength: Number(fields[1]),
    target: fields[5],
    matches: Number(fields[9]),
    columns: Number(fields[10]),
    primary: tags.get("tp") === "P",
    mismatches: counts.mismatches,
    insertions: counts.insertions,
    deletions: counts.deletions,
  };
}
