import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { writeOutputFile } from "../../benchmarks/common/output-file";
import { summaryFor } from "./helpers/summaries";

const PROJECT = path.resolve(__dirname, "../..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-outputs-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  // node by its absolute path and tsx's own script, so a test may empty PATH (no minimap2).
  const result = spawnSync(process.execPath, [path.join(PROJECT, "node_modules/tsx/dist/cli.mjs"), "benchmarks/cli.ts", ...args], { cwd: PROJECT, encoding: "utf8", env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function write(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** A PATH without minimap2: a command that reached the alignment would fail naming minimap2. */
function withoutMinimap2(): NodeJS.ProcessEnv {
  const emptyBin = path.join(tmp, "empty-bin");
  fs.mkdirSync(emptyBin, { recursive: true });
  return { ...process.env, PATH: emptyBin };
}

const CALLS = ">r1\nACGTACGTACGTACGTACGT\n";
const REFERENCE = ">lambda\nACGTACGTACGTACGTACGTACGTACGT\n";

describe("evaluate never writes over its inputs", () => {
  it("refuses --per-read given the calls file's own path, leaving the calls as they were", () => {
    const calls = write("same/calls.fa", CALLS);
    const reference = write("same/ref.fa", REFERENCE);
    const { code, stdout, stderr } = cli(["evaluate", "--calls", calls, "--reference", reference, "--per-read", calls]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr.trim()).toBe(`edgecall evaluate: --per-read ${calls}: is the input ${calls}; choose another file for the output`);
    expect(fs.readFileSync(calls, "utf8")).toBe(CALLS);
  });

  it("refuses a --per-read that reaches the reference through a symlink or another spelling", () => {
    const calls = write("link/calls.fa", CALLS);
    const reference = write("link/ref.fa", REFERENCE);
    const link = path.join(tmp, "link/per-read.tsv");
    fs.symlinkSync(reference, link);
    const viaLink = cli(["evaluate", "--calls", calls, "--reference", reference, "--per-read", link]);
    expect(viaLink.code).toBe(1);
    expect(viaLink.stderr).toContain(`is the input ${reference}`);
    const respelled = path.join(tmp, "link", "..", "link", "ref.fa");
    const viaDots = cli(["evaluate", "--calls", calls, "--reference", reference, "--per-read", respelled]);
    expect(viaDots.code).toBe(1);
    expect(viaDots.stderr).toContain(`is the input ${reference}`);
    expect(fs.readFileSync(reference, "utf8")).toBe(REFERENCE);
  });
});

describe("evaluate checks its destination before aligning", () => {
  it.each([
    ["a --per-read in a missing directory", () => path.join(tmp, "no-such-dir", "per-read.tsv"), /: cannot write \(ENOENT/],
    ["a --per-read that is a directory", () => fs.mkdtempSync(path.join(tmp, "a-dir-")), /: is a directory$/],
  ])("%s is refused before minimap2 is started", (_name, destination, message) => {
    const calls = write("early/calls.fa", CALLS);
    const reference = write("early/ref.fa", REFERENCE);
    const { code, stderr } = cli(["evaluate", "--calls", calls, "--reference", reference, "--per-read", destination()], withoutMinimap2());
    expect(code).toBe(1);
    expect(stderr).not.toContain("minimap2");
    expect(stderr.trim()).toMatch(message);
  });
});

describe("outputs are written whole, then renamed into place", () => {
  it("replaces an existing file by a new one (a rename, not a rewrite in place) and leaves no temporary file", () => {
    const dir = fs.mkdtempSync(path.join(tmp, "rename-"));
    const file = path.join(dir, "out.tsv");
    fs.writeFileSync(file, "old\n");
    const before = fs.statSync(file).ino;
    // A reader holding the old file keeps reading the old text: only a rename gives that.
    const reader = fs.openSync(file, "r");
    writeOutputFile(file, "new\n", "--out");
    const held = Buffer.alloc(4);
    fs.readSync(reader, held, 0, 4, 0);
    fs.closeSync(reader);
    expect(held.toString()).toBe("old\n");
    expect(fs.readFileSync(file, "utf8")).toBe("new\n");
    expect(fs.statSync(file).ino).not.toBe(before);
    expect(fs.readdirSync(dir)).toEqual(["out.tsv"]);
  });

  it("writes through a symlink to its target, keeping the link", () => {
    const dir = fs.mkdtempSync(path.join(tmp, "symlink-"));
    const target = path.join(dir, "target.tsv");
    const link = path.join(dir, "link.tsv");
    fs.writeFileSync(target, "old\n");
    fs.symlinkSync(target, link);
    writeOutputFile(link, "new\n", "--out");
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(target, "utf8")).toBe("new\n");
    expect(fs.readdirSync(dir).sort()).toEqual(["link.tsv", "target.tsv"]);
  });
});

describe("report and loadgen never write over their inputs", () => {
  it("report refuses an --out whose summary.md is one of the summaries", () => {
    const summaries = path.join(tmp, "report-in");
    const summaryFile = write("report-in/run-0/summary.json", JSON.stringify(summaryFor("chiron", 0)));
    const original = fs.readFileSync(summaryFile, "utf8");
    const out = fs.mkdtempSync(path.join(tmp, "report-out-"));
    fs.symlinkSync(summaryFile, path.join(out, "summary.md"));
    const { code, stderr } = cli(["report", summaries, "--out", out]);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`edgecall report: --out ${path.join(out, "summary.md")}: is the input ${summaryFile}; choose another file for the output`);
    expect(fs.readFileSync(summaryFile, "utf8")).toBe(original);
    expect(fs.existsSync(path.join(out, "index.html"))).toBe(false);
  });

  it("report refuses an --out that is a file, before reading the summaries, and leaves the file alone", () => {
    const notADir = write("report-file-out/out.txt", "keep me\n");
    // A summaries directory that does not exist: reached first, it would be the error named.
    const { code, stderr } = cli(["report", path.join(tmp, "no-summaries-here"), "--out", notADir]);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`edgecall report: --out ${notADir}: is a file; give a directory (new or existing) for index.html and summary.md`);
    expect(fs.readFileSync(notADir, "utf8")).toBe("keep me\n");
  });

  it("loadgen refuses an --out that is its manifest, before sending any request", () => {
    const manifest = write("loadgen/manifest.jsonl", `${JSON.stringify({ read_id: "r1", signal: [1, 2, 3] })}\n`);
    const { code, stderr } = cli(["loadgen", "--target", "http://127.0.0.1:1", "--concurrency", "1", "--manifest", manifest, "--timeout-s", "2", "--out", manifest]);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`edgecall loadgen: --out ${manifest}: is the input ${manifest}; choose another file for the output`);
    expect(JSON.parse(fs.readFileSync(manifest, "utf8"))).toEqual({ read_id: "r1", signal: [1, 2, 3] });
  });
});

describe("report refuses what it cannot read or create, promptly", () => {
  const cliWithin = (args: string[]) => {
    // A bound of its own: the faults here once hung or spun instead of failing.
    const result = spawnSync(process.execPath, [path.join(PROJECT, "node_modules/tsx/dist/cli.mjs"), "benchmarks/cli.ts", ...args], { cwd: PROJECT, encoding: "utf8", timeout: 60_000 });
    return { code: result.status, signal: result.signal, stderr: result.stderr };
  };

  it("an --out it cannot create (under /proc) is one line naming it, not a spin", () => {
    const dir = path.join(tmp, "proc-out");
    write("proc-out/summary.json", JSON.stringify(summaryFor("rodan", 0)));
    const { code, signal, stderr } = cliWithin(["report", dir, "--out", "/proc/edgecall-report/x"]);
    expect(signal).toBeNull();
    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(/^edgecall report: --out \/proc\/edgecall-report\/x: cannot create \/proc\/edgecall-report \(\w+\)$/);
  });

  it("a summary.json that is a FIFO is refused by name, not waited on", () => {
    const dir = path.join(tmp, "fifo-in");
    fs.mkdirSync(dir, { recursive: true });
    expect(spawnSync("mkfifo", [path.join(dir, "summary.json")]).status).toBe(0);
    const { code, signal, stderr } = cliWithin(["report", dir, "--out", path.join(tmp, "fifo-out")]);
    expect(signal).toBeNull();
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`edgecall report: ${path.join(dir, "summary.json")}: is not a regular file (a FIFO, socket or device); give a summary file`);
  });

  it("reads a summary that starts with a byte-order mark, and names the reason of one that is not JSON", () => {
    write("bom/summary.json", `\uFEFF${JSON.stringify(summaryFor("rodan", 0))}`);
    expect(cliWithin(["report", path.join(tmp, "bom"), "--out", path.join(tmp, "bom-out")]).code).toBe(0);
    write("broken/summary.json", "{not json");
    const broken = cliWithin(["report", path.join(tmp, "broken"), "--out", path.join(tmp, "broken-out")]);
    expect(broken.stderr.trim()).toMatch(new RegExp(`^edgecall report: ${path.join(tmp, "broken", "summary.json")}: not JSON \\(.+\\)$`));
  });

  it("names a run's telemetry.jsonl that is a symbolic link loop instead of reporting the run without telemetry", () => {
    write("looped/summary.json", JSON.stringify(summaryFor("rodan", 0)));
    const telemetry = path.join(tmp, "looped", "telemetry.jsonl");
    fs.symlinkSync(telemetry, telemetry);
    const result = cliWithin(["report", path.join(tmp, "looped"), "--out", path.join(tmp, "looped-out")]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(new RegExp(`^edgecall report: ${telemetry}: is a symbolic link loop; give .+$`));
  });
});
