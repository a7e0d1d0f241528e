import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture } from "../benchmarks/fixtures";
import { VENV, venvMissing } from "./helpers/runner-env";

// POD5 input is optional in the converter. The POD5 files here are made from the fixtures' multi-read
// FAST5 files by the pod5 package's own `pod5 convert fast5`, so the same reads can be compared.
const PLUGINS = path.join(VENV, "hdf5-plugins");
const missingVenv = venvMissing("pod5");
const ontApi = fixture("fast5/ont_fast5_api");
const missing = missingVenv ?? ontApi.missing;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-pod5-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const env = { ...process.env, HDF5_PLUGIN_PATH: PLUGINS };

function run(program: string, args: string[], extraEnv: Record<string, string> = {}) {
  return spawnSync(path.join(VENV, "bin", program), args, { encoding: "utf8", env: { ...env, ...extraEnv } });
}

function convert(input: string, extraEnv: Record<string, string> = {}) {
  const output = fs.mkdtempSync(path.join(tmp, "out-"));
  const result = run("edgecall-convert", ["--input", input, "--output", output, "--model", "rodan"], extraEnv);
  // A run that converts nothing leaves the output as it was: its account is only on stderr.
  const reportFile = path.join(output, "conversion.json");
  const report = fs.existsSync(reportFile)
    ? (JSON.parse(fs.readFileSync(reportFile, "utf8")) as { files_converted: number; reads_converted: number; skipped: Array<{ file: string; reason: string }> })
    : undefined;
  return { code: result.status, output, report, stderr: result.stderr };
}

/** read id -> [sample count, first samples, sum] of a converter's reads.npz, in picoamperes. */
function npzSummary(output: string): Record<string, [number, number[], number]> {
  const code = [
    "import json, sys, numpy",
    "data = numpy.load(sys.argv[1])",
    "print(json.dumps({k: [int(v.size), [round(float(x), 3) for x in v[:5]], round(float(v.sum()), 1)] for k, v in data.items()}))",
  ].join("\n");
  const result = run("python", ["-c", code, path.join(output, "reads.npz")]);
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as Record<string, [number, number[], number]>;
}

describe.skipIf(missing !== undefined)("the converter on POD5 files", () => {
  const fast5Dir = path.join(tmp, "fast5");
  const pod5Dir = path.join(tmp, "pod5");

  beforeAll(() => {
    fs.mkdirSync(fast5Dir);
    fs.mkdirSync(pod5Dir);
    for (const name of ["multi_read_gzip.fast5", "multi_read_vbz.fast5"]) fs.copyFileSync(path.join(ontApi.path, name), path.join(fast5Dir, name));
    const made = run("pod5", ["convert", "fast5", "--strict", "-t", "1", "-o", path.join(pod5Dir, "reads.pod5"), path.join(fast5Dir, "multi_read_gzip.fast5")]);
    if (made.status !== 0) throw new Error(`pod5 convert fast5 failed: ${made.stderr}`);
  });

  it("reads the same reads, in the same picoamperes, from a POD5 file as from the FAST5 it came from", () => {
    const fromFast5 = fs.mkdtempSync(path.join(tmp, "gzip-"));
    fs.copyFileSync(path.join(fast5Dir, "multi_read_gzip.fast5"), path.join(fromFast5, "multi_read_gzip.fast5"));
    const fast5 = convert(fromFast5);
    const pod5 = convert(pod5Dir);
    expect(pod5.code).toBe(0);
    expect(pod5.report).toMatchObject({ files_converted: 1, skipped: [] });
    expect(pod5.report?.reads_converted).toBe(fast5.report?.reads_converted);
    expect(pod5.report?.reads_converted).toBeGreaterThan(0);
    expect(npzSummary(pod5.output)).toEqual(npzSummary(fast5.output));
  });

  it("takes FAST5 and POD5 files from one directory, counting a read found in both once", () => {
    const mixed = fs.mkdtempSync(path.join(tmp, "mixed-"));
    fs.copyFileSync(path.join(pod5Dir, "reads.pod5"), path.join(mixed, "reads.pod5"));
    fs.copyFileSync(path.join(fast5Dir, "multi_read_gzip.fast5"), path.join(mixed, "multi_read_gzip.fast5"));
    const result = convert(mixed);
    const report = JSON.parse(fs.readFileSync(path.join(result.output, "conversion.json"), "utf8")) as { files_converted: number; duplicate_reads: unknown[]; reads_converted: number };
    expect(report.files_converted).toBe(2);
    expect(report.duplicate_reads.length).toBe(report.reads_converted);
    expect(result.code).toBe(2);
  });

  it("skips a truncated POD5 file by name, and a POD5 file without the pod5 package with what to install", () => {
    const broken = fs.mkdtempSync(path.join(tmp, "broken-"));
    const whole = fs.readFileSync(path.join(pod5Dir, "reads.pod5"));
    fs.writeFileSync(path.join(broken, "cut.pod5"), whole.subarray(0, Math.floor(whole.length / 2)));
    const truncated = convert(broken);
    expect(truncated.code).toBe(1);
    expect(truncated.report).toBeUndefined();
    expect(truncated.stderr).toMatch(/skipped cut\.pod5: .*cut\.pod5: (not a readable POD5 file|cannot read its reads)/);

    // A module named pod5 that fails to import stands in for a Python without the package.
    const shadow = fs.mkdtempSync(path.join(tmp, "no-pod5-"));
    fs.writeFileSync(path.join(shadow, "pod5.py"), "raise ImportError('pod5 is not installed here')\n");
    const without = convert(pod5Dir, { PYTHONPATH: shadow });
    expect(without.code).toBe(1);
    expect(without.report).toBeUndefined();
    expect(without.stderr).toContain(`skipped reads.pod5: ${path.join(pod5Dir, "reads.pod5")}: reading POD5 needs the pod5 package (pip install pod5), which is not installed`);
  });
});
