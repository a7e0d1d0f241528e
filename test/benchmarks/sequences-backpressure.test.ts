import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Writable } from "stream";
import { afterAll, describe, expect, it } from "vitest";
import { readSequences } from "../../benchmarks/common/sequences";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-sequences-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("reading calls while feeding minimap2's stdin", () => {
  it("waits out every back-pressure without leaving a listener behind, and the process warns of nothing", async () => {
    // About 17 MB of FASTQ: 17 chunks of 1 MB, each written to a consumer that is always full, so more
    // waits than the 10 listeners Node warns past.
    const file = path.join(tmp, "calls.fastq");
    const record = (i: number) => `@read-${i}\n${"ACGT".repeat(50)}\n+\n${"I".repeat(200)}\n`;
    fs.writeFileSync(file, Array.from({ length: 40000 }, (_v, i) => record(i)).join(""));
    let written = 0;
    const tee = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _encoding, done) {
        written += chunk.length;
        setImmediate(done);
      },
    });
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on("warning", onWarning);
    let records = 0;
    const ids = new Set<string>();
    let mostClose = 0;
    let mostDrain = 0;
    try {
      for await (const record of readSequences(file, tee)) {
        records += 1;
        ids.add(record.id);
        mostClose = Math.max(mostClose, tee.listenerCount("close"));
        mostDrain = Math.max(mostDrain, tee.listenerCount("drain"));
      }
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", onWarning);
    }
    expect(records).toBe(40000);
    expect(ids.size).toBe(40000);
    expect(written).toBe(fs.statSync(file).size);
    expect(warnings).toEqual([]);
    // Writable's own listeners aside, no wait leaves one of its own on the stream.
    expect(mostDrain).toBeLessThanOrEqual(1);
    expect(mostClose).toBeLessThanOrEqual(2);
  });
});
