import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";

const PROJECT = path.resolve(__dirname, "../..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-cli-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  // node by its absolute path, so a test may hand the CLI a PATH of its own.
  const result = spawnSync(process.execPath, [path.join(PROJECT, "node_modules/tsx/dist/cli.mjs"), "benchmarks/cli.ts", ...args], { cwd: PROJECT, encoding: "utf8", env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("edgecall dispatch", () => {
  it("lists every command with --help and exits 0", () => {
    const { code, stdout } = cli(["--help"]);
    expect(code).toBe(0);
    for (const name of ["evaluate", "telemetry", "energy", "summarize", "report", "db", "loadgen"]) expect(stdout).toMatch(new RegExp(`^  ${name} `, "m"));
  });

  it("prints the usage and exits 2 without a command", () => {
    const { code, stdout } = cli([]);
    expect(code).toBe(2);
    expect(stdout).toMatch(/^usage: edgecall <command>/);
  });

  it("names an unknown command in one line", () => {
    const { code, stderr } = cli(["evaluat"]);
    expect(code).toBe(2);
    expect(stderr).toBe(`edgecall: unknown command "evaluat"; run 'edgecall --help'\n`);
  });

  it.each([
    ["evaluate", ["evaluate", "--bogus"]],
    ["telemetry", ["telemetry", "parse", "x.log", "--bogus"]],
    ["energy", ["energy", "--bogus"]],
    ["summarize", ["summarize", "--bogus"]],
  ])("%s refuses an unknown option in one line", (name, args) => {
    const { code, stdout, stderr } = cli(args);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(new RegExp(`^edgecall ${name}: Unknown option '--bogus'`));
  });

  it.each([
    ["telemetry without a subcommand", ["telemetry"], /^edgecall telemetry: give a subcommand: 'parse LOG' or 'record --out FILE'/],
    ["telemetry parse without a log", ["telemetry", "parse"], /^edgecall telemetry: parse needs the log file/],
    ["telemetry parse of a missing log", ["telemetry", "parse", "/nonexistent/tegrastats.log"], /^edgecall telemetry: \/nonexistent\/tegrastats\.log: no such file$/],
    ["telemetry record to a path that cannot be written", ["telemetry", "record", "--out", "/nonexistent/dir/t.jsonl", "--duration-s", "1"], /^edgecall telemetry: --out \/nonexistent\/dir\/t\.jsonl: cannot write \(ENOENT/],
    ["summarize without a directory", ["summarize"], /^edgecall summarize: usage: edgecall summarize RUN_DIR/],
    ["summarize of a missing directory", ["summarize", "/nonexistent/run"], /^edgecall summarize: \/nonexistent\/run: not a directory; give a run directory \(calls\.fastq, reads\.jsonl, run\.json\)$/],
    ["energy without --from", ["energy", "--telemetry", "x.jsonl", "--to", "2026-01-01T00:00:00Z"], /^edgecall energy: --from is required$/],
    ["telemetry parse of a directory", ["telemetry", "parse", os.tmpdir()], /^edgecall telemetry: \/.+: is a directory; give the tegrastats log or meter CSV file$/],
    ["energy with a directory as --telemetry", ["energy", "--telemetry", os.tmpdir(), "--from", "2026-01-01T00:00:00Z", "--to", "2026-01-01T00:01:00Z"], /^edgecall energy: \/.+: is a directory; give a telemetry file \(JSONL samples or a tegrastats log\)$/],
    ["loadgen with a directory as --manifest", ["loadgen", "--target", "http://nano:6001", "--concurrency", "1", "--manifest", os.tmpdir()], /^edgecall loadgen: \/.+: is a directory; give the manifest file \(JSON lines of reads\)$/],
    ["loadgen with a --target that is not http, its password masked", ["loadgen", "--target", "ftp://bench:s3cret@nano:6001", "--concurrency", "1", "--manifest", "m.jsonl"], /^edgecall loadgen: --target must be an http:\/\/ or https:\/\/ URL, got ftp:\/\/\*\*\*:\*\*\*@nano:6001$/],
    ["evaluate with a bad --threads", ["evaluate", "--calls", "a.fq", "--reference", "r.fa", "--threads", "0"], /^edgecall evaluate: --threads must be a positive integer, got 0$/],
  ])("%s is one line and exit 1", (_name, args, message) => {
    const { code, stderr } = cli(args as string[]);
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr.trim()).toMatch(message as RegExp);
  });
});

describe("edgecall <command> --help", () => {
  it.each([
    ["evaluate", ["evaluate", "--help"], /^usage: edgecall evaluate --calls FILE/],
    ["telemetry", ["telemetry", "-h"], /^usage: edgecall telemetry parse LOG/],
    ["telemetry parse", ["telemetry", "parse", "--help"], /^usage: edgecall telemetry parse LOG/],
    ["energy", ["energy", "--from", "x", "-h"], /^usage: edgecall energy --telemetry LOG/],
    ["summarize", ["summarize", "--help"], /^usage: edgecall summarize RUN_DIR/],
    ["report", ["report", "-h"], /^usage: edgecall report \(SUMMARIES_DIR \| - \| --stack NAME\) --out DIR/],
    ["db", ["db", "push", "--help"], /^usage: edgecall db migrate --url postgres:\/\/\.\.\. \[--timeout-s S\]/],
    ["loadgen", ["loadgen", "--help"], /^usage: edgecall loadgen --target URL/],
  ])("%s prints its usage on stdout and exits 0", (_name, args, expected) => {
    const { code, stdout, stderr } = cli(args as string[]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(expected as RegExp);
  });

  it("leaves --help after -- to the command as an operand", () => {
    const { code, stderr } = cli(["summarize", "--", "--help"]);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe("edgecall summarize: --help: not a directory; give a run directory (calls.fastq, reads.jsonl, run.json)");
  });
});

describe("edgecall telemetry on the command line", () => {
  it("records through the tegrastats it finds on PATH, with --interval passed on", () => {
    const bin = path.join(tmp, "bin");
    fs.mkdirSync(bin, { recursive: true });
    const argsSeen = path.join(tmp, "tegrastats-args");
    // A stand-in for the L4T tool: prints JetPack 5 lines (with their own, stale, time) until stopped.
    const line = "01-01-2020 00:00:00 RAM 3200/7620MB (lfb 3x4MB) SWAP 0/3810MB (cached 0MB) CPU [40%@1510,off] GR3D_FREQ 97% gpu@50.5C VDD_IN 9600mW/7200mW";
    // Three lines, then it ends, which ends the recording: the count does not hang on the clock.
    fs.writeFileSync(path.join(bin, "tegrastats"), `#!/bin/sh\necho "$*" > ${argsSeen}\nfor i in 1 2 3; do echo "${line}"; sleep 0.1; done\n`, { mode: 0o755 });
    const out = path.join(tmp, "recorded.jsonl");
    const before = Date.now();
    const { code, stderr } = cli(["telemetry", "record", "--out", out, "--interval-ms", "100", "--duration-s", "60"], { ...process.env, PATH: `${bin}:/usr/bin:/bin` });
    expect(code).toBe(0);
    expect(fs.readFileSync(argsSeen, "utf8").trim()).toBe("--interval 100");
    const samples = fs.readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { time: string; gpu_load_pct: number; rails: Record<string, { mw: number }> });
    expect(stderr.trim()).toBe(`edgecall telemetry: 3 samples written to ${out}`);
    expect(samples).toHaveLength(3);
    // Timed by this host's clock when the line arrives, not by the line's own prefix.
    expect(Date.parse(samples[0].time)).toBeGreaterThanOrEqual(before - 5);
    expect(samples[0]).toMatchObject({ gpu_load_pct: 97, rails: { VDD_IN: { mw: 9600, avg_mw: 7200 } } });
  });

  it("says tegrastats is missing when asked for it on a machine without it", () => {
    const empty = path.join(tmp, "empty-bin");
    fs.mkdirSync(empty, { recursive: true });
    const { code, stderr } = cli(["telemetry", "record", "--out", path.join(tmp, "none.jsonl"), "--source", "tegrastats", "--duration-s", "1"], { ...process.env, PATH: empty });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe("edgecall telemetry: tegrastats not found: run on a Jetson (L4T) or use --source sysfs");
  });

  it("reads a USB meter's CSV into JSONL samples on rail EXTERNAL, zone-less times in --tz", () => {
    const csv = path.join(tmp, "meter.csv");
    fs.writeFileSync(csv, "time,voltage,current\n2026-07-01 12:00:00,5.0,1.0\n2026-07-01 12:00:01,5.0,1.2\n");
    const { code, stdout } = cli(["telemetry", "parse", csv, "--format", "csv", "--tz", "Europe/Berlin", "--json"]);
    expect(code).toBe(0);
    const samples = stdout.trim().split("\n").map((l) => JSON.parse(l) as { time: string; rails: Record<string, { mw: number }> });
    // Berlin is UTC+2 in July.
    expect(samples.map((s) => s.time)).toEqual(["2026-07-01T10:00:00.000Z", "2026-07-01T10:00:01.000Z"]);
    expect(samples.map((s) => s.rails.EXTERNAL.mw)).toEqual([5000, 6000]);
  });

  it("refuses a zone that is not an IANA name", () => {
    const { code, stderr } = cli(["telemetry", "parse", "test/benchmarks/data/tegrastats-orin-jp6.log", "--tz", "Mars/Olympus"]);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe("edgecall telemetry: --tz Mars/Olympus is not a time zone name (use an IANA name such as Europe/Berlin, or UTC)");
  });
});
