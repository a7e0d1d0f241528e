import * as crypto from "crypto";
import * as fs from "fs";
import * as zlib from "zlib";

function writeBlocks(file: string, count: number, make: (i: number) => string): void {
  const fd = fs.openSync(file, "w");
  try {
    let block: string[] = [];
    for (let i = 0; i < count; i++) {
      block.push(make(i));
      if (block.length >= 4096) {
        fs.writeSync(fd, block.join(""));
        block = [];
      }
    }
    fs.writeSync(fd, block.join(""));
  } finally {
    fs.closeSync(fd);
  }
}

/** The records of a (gzip) FASTQ as [sequence, quality] pairs; ids are made anew for each copy. */
function fastqRecords(file: string): [string, string][] {
  const lines = zlib.gunzipSync(fs.readFileSync(file)).toString("utf8").split("\n");
  const records: [string, string][] = [];
  for (let i = 0; i + 3 < lines.length; i += 4) records.push([lines[i + 1], lines[i + 3]]);
  return records;
}

/**
 * `count` reads, plain FASTQ: the fixture's real calls over and over, each copy under a new id,
 * so minimap2 aligns real nanopore reads and the evaluator sees `count` distinct ids.
 */
export function writeReads(fixture: string, file: string, count: number): void {
  const records = fastqRecords(fixture);
  writeBlocks(file, count, (i) => {
    const [sequence, quality] = records[i % records.length];
    return `@scale-${i.toString(16).padStart(8, "0")}-${crypto.randomUUID()}\n${sequence}\n+\n${quality}\n`;
  });
}

/** A JetPack 4 tegrastats log (no timestamps: time it with --start and --interval-ms) of `count` lines. */
export function writeTegrastats(file: string, count: number): void {
  writeBlocks(file, count, (k) => {
    const mw = 3000 + 37 * (k % 50);
    return `RAM 2105/3956MB (lfb 4x4MB) SWAP 0/1978MB (cached 0MB) CPU [${k % 100}%@1479,5%@1479,off,off] EMC_FREQ 0% GR3D_FREQ ${k % 100}%@921 APE 25 PLL@24C CPU@26.5C PMIC@100C GPU@25C AO@33.5C thermal@25.75C POM_5V_IN ${mw}/${mw} POM_5V_GPU 1000/1000 POM_5V_CPU 283/283\n`;
  });
}
