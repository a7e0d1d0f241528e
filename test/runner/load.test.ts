import { ChildProcess, spawnSync } from "child_process";
import { runProgram } from "../helpers/run-program";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture } from "../benchmarks/fixtures";
import { PROJECT, VENV, startTestServer, venvMissing } from "./helpers/runner-env";

// The load benchmark's chain with nothing standing in but the model: the converter's load.jsonl from
// real FAST5 files, `edgecall loadgen` (the tools image's CLI) and `edgecall-runner serve`.
const missingVenv = venvMissing();
const klebsiella = fixture("fast5/r941_klebsiella_single");
const missing = missingVenv ?? klebsiella.missing;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-load-"));

interface LoadLine {
  read_id: string;
  signal: number[];
  sampling_rate: number;
}

describe.skipIf(missing !== undefined)("converter load manifest, loadgen and serve", () => {
  const output = path.join(tmp, "input");
  let server: ChildProcess;
  let base = "";

  beforeAll(async () => {
    const converted = await runProgram(path.join(VENV, "bin", "edgecall-convert"), ["--input", klebsiella.path, "--output", output, "--model", "ctc-test"]);
    if (converted.status !== 0) throw new Error(converted.stderr);
    ({ base, child: server } = await startTestServer());
  });
  afterAll(() => {
    server?.kill();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("writes load.jsonl with every converted read, in the picoamperes reads.npz holds", () => {
    const lines = fs.readFileSync(path.join(output, "load.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as LoadLine);
    expect(lines).toHaveLength(48);
    const code = [
      "import json, sys, numpy",
      "data = numpy.load(sys.argv[1])",
      "lines = [json.loads(l) for l in open(sys.argv[2])]",
      "worst = max(float(numpy.max(numpy.abs(numpy.array(l['signal']) - data[l['read_id']]))) for l in lines)",
      "print(json.dumps({'ids': sorted(data.keys()) == sorted(l['read_id'] for l in lines), 'lengths': all(len(l['signal']) == data[l['read_id']].size for l in lines), 'worst': worst}))",
    ].join("\n");
    const check = spawnSync(path.join(VENV, "bin", "python"), ["-c", code, path.join(output, "reads.npz"), path.join(output, "load.jsonl")], { encoding: "utf8" });
    expect(check.status, check.stderr).toBe(0);
    const result = JSON.parse(check.stdout) as { ids: boolean; lengths: boolean; worst: number };
    expect(result).toMatchObject({ ids: true, lengths: true });
    expect(result.worst).toBeLessThanOrEqual(0.005 + 1e-4);
    expect(lines[0].sampling_rate).toBe(4000);
  });

  it("drives the service at each concurrency level from that manifest, every request answered", async () => {
    const run = await runProgram(
      path.join(PROJECT, "node_modules/.bin/tsx"),
      ["benchmarks/cli.ts", "loadgen", "--target", base, "--concurrency", "1,4", "--manifest", path.join(output, "load.jsonl"), "--requests", "8", "--json"],
      { cwd: PROJECT, timeoutMs: 120_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { levels: Array<{ concurrency: number; requests: number; succeeded: number; errors: Record<string, number>; bases_per_s: number; latency_p95_s: number | null }> };
    expect(report.levels.map((l) => l.concurrency)).toEqual([1, 4]);
    for (const level of report.levels) {
      expect(level).toMatchObject({ requests: 8, succeeded: 8, errors: {} });
      expect(level.bases_per_s).toBeGreaterThan(0);
      expect(level.latency_p95_s).toBeGreaterThan(0);
    }
  }, 150_000);
});
