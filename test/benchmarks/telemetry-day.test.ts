import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProgram } from "../helpers/run-program";

/**
 * A day of tegrastats at 100 ms (864,000 samples, about 190 MB) through `energy` and `telemetry
 * parse`. Both run with a V8 heap capped at 96 MB: holding the log as one string, or a sample
 * object per line, needs several times that, so a command that stops streaming fails here.
 */
const PROJECT = path.resolve(__dirname, "../..");
const SAMPLES = 864_000;
const START = "2026-11-24T00:00:00Z";
const HEAP = "--max-old-space-size=96";
let tmp: string;
let log: string;

/** POM_5V_IN: 2 W for the first hour, then 3 W and 4 W alternating; POM_5V_GPU 1 W throughout. */
function line(k: number): string {
  const mw = k < 36_000 ? 2000 : 3000 + 1000 * (k % 2);
  return `RAM 2105/3956MB (lfb 4x4MB) SWAP 0/1978MB (cached 0MB) CPU [12%@1479,5%@1479,off,off] EMC_FREQ 0% GR3D_FREQ ${k % 100}%@921 APE 25 PLL@24C CPU@26.5C PMIC@100C GPU@25C AO@33.5C thermal@25.75C POM_5V_IN ${mw}/${mw} POM_5V_GPU 1000/1000 POM_5V_CPU 283/283`;
}

async function cli(args: string[], stdoutFd?: number) {
  const result = await runProgram(path.join(PROJECT, "node_modules/.bin/tsx"), ["benchmarks/cli.ts", ...args], {
    cwd: PROJECT,
    stdoutFd,
    env: { ...process.env, NODE_OPTIONS: HEAP },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-day-"));
  log = path.join(tmp, "day.log");
  const fd = fs.openSync(log, "w");
  let block: string[] = [];
  for (let k = 0; k < SAMPLES; k++) {
    block.push(line(k));
    // One line that is not tegrastats output, early, as a real log may have.
    if (k === 3) block.push("tegrastats: restarting");
    if (block.length >= 10_000) {
      fs.writeSync(fd, `${block.join("\n")}\n`);
      block = [];
    }
  }
  fs.writeSync(fd, `${block.join("\n")}\n`);
  fs.closeSync(fd);
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("a day of 100 ms telemetry", () => {
  it("energy integrates the whole day, with a baseline, in a capped heap", async () => {
    const result = await cli([
      "energy", "--telemetry", log, "--start", START, "--interval-ms", "100",
      "--from", "2026-11-24T01:00:00Z", "--to", "2026-11-24T23:00:00Z",
      "--baseline-from", "2026-11-24T00:00:00Z", "--baseline-to", "2026-11-24T00:30:00Z", "--json",
    ]);
    expect(result.stderr).toBe(`edgecall energy: 1 line(s) of ${log} are not tegrastats output and were left out (first: line 5)\n`);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      rail: string;
      joules: number;
      mean_watts: number;
      gaps: unknown[];
      above_idle: { joules: number; mean_watts: number };
      per_rail: Record<string, { joules: number }>;
    };
    expect(report.rail).toBe("POM_5V_IN");
    // 22 h of 0.1 s trapezoids between 3 W and 4 W: 792,000 x 0.35 J.
    expect(report.joules).toBeCloseTo(277_200, 3);
    expect(report.mean_watts).toBeCloseTo(3.5, 9);
    // The first half hour is 2 W: 277,200 J - 2 W x 79,200 s.
    expect(report.above_idle.joules).toBeCloseTo(118_800, 3);
    expect(report.per_rail.POM_5V_GPU.joules).toBeCloseTo(79_200, 3);
    expect(report.gaps).toEqual([]);
  });

  it("telemetry parse writes every sample, in order, in a capped heap", async () => {
    const out = path.join(tmp, "day.jsonl");
    const fd = fs.openSync(out, "w");
    const result = await cli(["telemetry", "parse", log, "--start", START, "--interval-ms", "100", "--json"], fd);
    fs.closeSync(fd);
    expect(result.stderr).toBe(`edgecall telemetry: 1 line(s) of ${log} are not tegrastats output (first: line 5)\n`);
    expect(result.code).toBe(0);
    const lines = fs.readFileSync(out, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(SAMPLES);
    const sample = (i: number) => JSON.parse(lines[i]) as { time: string; gpu_load_pct: number; rails: Record<string, { mw: number }> };
    expect(sample(0).time).toBe("2026-11-24T00:00:00.000Z");
    expect(sample(36_001)).toMatchObject({ time: "2026-11-24T01:00:00.100Z", gpu_load_pct: 1, rails: { POM_5V_IN: { mw: 4000 } } });
    expect(sample(SAMPLES - 1).time).toBe("2026-11-24T23:59:59.900Z");
  });
});
