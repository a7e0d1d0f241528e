import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { afterAll, describe, expect, it } from "vitest";
import { evaluateCalls } from "../../benchmarks/accuracy/evaluate";
import { MANY_REFERENCE_SEQUENCES } from "../../benchmarks/accuracy/swap-check";
import { fixture } from "./fixtures";

/** `--calls` and `--reference` given the wrong way round still align, and give plausible figures. */
const PROJECT = path.resolve(__dirname, "../..");
const reads = fixture("reads/lambda_r1041_amplicon.fastq.gz");
const reference = fixture("reference/lambda_virus.fa");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-swap-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The first `count` reads of the fixture as FASTA. */
function readsAsFasta(count: number): string {
  const lines = zlib.gunzipSync(fs.readFileSync(reads.path)).toString().split("\n");
  const file = path.join(tmp, `reads-${count}.fa`);
  const records = Array.from({ length: count }, (_unused, i) => `>${lines[i * 4].slice(1).split(" ")[0]}\n${lines[i * 4 + 1]}\n`);
  fs.writeFileSync(file, records.join(""));
  return file;
}

describe.skipIf(reads.missing !== undefined || reference.missing !== undefined)("evaluate with swapped inputs", () => {
  it("says nothing when the calls are reads and the reference a genome", async () => {
    expect((await evaluateCalls(readsAsFasta(12), reference.path)).warnings).toEqual([]);
  });

  it("warns when the reference has many sequences and the calls one", async () => {
    const many = readsAsFasta(MANY_REFERENCE_SEQUENCES);
    const { warnings } = await evaluateCalls(reference.path, many);
    expect(warnings).toEqual([
      `warning: the reference ${many} has ${MANY_REFERENCE_SEQUENCES} sequences and the calls ${reference.path} one: are --calls and --reference swapped?`,
    ]);
    expect((await evaluateCalls(reference.path, readsAsFasta(MANY_REFERENCE_SEQUENCES - 1))).warnings).toEqual([]);
  });

  it("warns on stderr, and still reports, when the reference is FASTQ", () => {
    const result = spawnSync(path.join(PROJECT, "node_modules/.bin/tsx"), ["benchmarks/cli.ts", "evaluate", "--calls", reference.path, "--reference", reads.path, "--json"], {
      cwd: PROJECT,
      encoding: "utf8",
    });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ reads: 1 });
    expect(result.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/^edgecall evaluate: warning: the reference .*lambda_r1041_amplicon\.fastq\.gz has \d+ sequences and the calls .*lambda_virus\.fa one: are --calls and --reference swapped\?$/),
      `edgecall evaluate: warning: the reference ${reads.path} is FASTQ (reads, not a genome): are --calls and --reference swapped?`,
    ]);
  });
});
