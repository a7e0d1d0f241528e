import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { paretoFrontier } from "../../benchmarks/report/pareto";
import { summaryFor } from "./helpers/summaries";

const PROJECT = path.resolve(__dirname, "../..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-report-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]) {
  const result = spawnSync(path.join(PROJECT, "node_modules/.bin/tsx"), ["benchmarks/cli.ts", "report", ...args], { cwd: PROJECT, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function withFigures(model: string, basesPerS: number, identity: number, jPerMb: number) {
  const s = summaryFor(model, 0, basesPerS);
  return {
    ...s,
    accuracy: { reads: 10, bases: 1000, aligned_reads: 9, unaligned_fraction: 0.1, median_identity: identity, mean_identity: identity, mismatch_rate: 0.01, insertion_rate: 0.01, deletion_rate: 0.01 },
    energy: { rail: "POM_5V_IN", joules: 60, mean_watts: 1, seconds: 60, joules_per_read: 6, joules_per_megabase: jPerMb, above_idle: null, per_rail_mean_watts: {} },
  };
}

function writeRun(dir: string, summary: object, telemetry = false): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "summary.json"), JSON.stringify(summary));
  if (telemetry) {
    const lines = [0, 1, 2].map((i) => JSON.stringify({ time: new Date(Date.parse("2026-11-24T10:00:00Z") + i * 1000).toISOString(), cpu: [], temperatures: {}, rails: { POM_5V_IN: { mw: 4000 + i * 500 } } }));
    fs.writeFileSync(path.join(dir, "telemetry.jsonl"), lines.join("\n") + "\n");
  }
}

describe("Pareto frontier", () => {
  it("keeps the runs no other run beats on bases/s, identity and J/Mbase together", () => {
    const points = [
      { label: "fast", basesPerS: 3000, identity: 0.85, joulesPerMegabase: 40 },
      { label: "accurate", basesPerS: 500, identity: 0.95, joulesPerMegabase: 90 },
      { label: "dominated", basesPerS: 400, identity: 0.84, joulesPerMegabase: 100 },
      { label: "frugal", basesPerS: 450, identity: 0.8, joulesPerMegabase: 10 },
    ];
    expect(paretoFrontier(points).map((p) => p.label)).toEqual(["fast", "accurate", "frugal"]);
  });
});

describe("edgecall report", () => {
  it("writes an offline HTML page with the three charts and a Markdown table of every run", () => {
    const dir = path.join(tmp, "summaries");
    writeRun(path.join(dir, "chiron"), withFigures("chiron", 500, 0.95, 90), true);
    writeRun(path.join(dir, "sacall"), withFigures("sacall", 3000, 0.85, 40), true);
    writeRun(path.join(dir, "weird"), withFigures("<script>alert(1)</script>", 400, 0.84, 100));
    fs.writeFileSync(path.join(dir, "loadgen-chiron.json"), JSON.stringify({ target: "http://nano:6003", levels: [1, 2, 4].map((c) => ({ concurrency: c, reads_per_s: c * 1.5 })) }));
    const out = path.join(tmp, "out");
    const result = cli(dir, "--out", out, "--json");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ html: path.join(out, "index.html"), markdown: path.join(out, "summary.md"), runs: 3, loads: 1 });
    const html = fs.readFileSync(path.join(out, "index.html"), "utf8");
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html).toContain("Pareto frontier");
    expect(html).toContain("http://nano:6003");
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
    // Readable offline: nothing is fetched (the only URL is the SVG namespace).
    expect(html.match(/(src|href)=/g)).toBeNull();
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, "")).not.toMatch(/https?:\/\/(?!nano)/);
    const md = fs.readFileSync(path.join(out, "summary.md"), "utf8").trim().split("\n");
    expect(md).toHaveLength(2 + 3);
    expect(md[2]).toContain("| chiron | nano-1 | r1#0 | 0.17 | 500.0 | 0.9500 | 90.0 |");
  });

  it("stops at a summary that does not validate, naming the file and the field", () => {
    const dir = path.join(tmp, "bad");
    writeRun(dir, { ...withFigures("rodan", 1, 0.9, 1), throughput: { reads: -1 } });
    const result = cli(dir, "--out", path.join(tmp, "bad-out"));
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(/bad\/summary\.json: not an edgecall summary: throughput\.reads: /);
  });

  it("names --out when it is an existing file, and what to give instead", () => {
    const dir = path.join(tmp, "out-is-file");
    writeRun(path.join(dir, "chiron"), summaryFor("chiron", 0));
    const out = path.join(tmp, "out-is-file.txt");
    fs.writeFileSync(out, "not a directory");
    const result = cli(dir, "--out", out);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`edgecall report: --out ${out}: is a file; give a directory (new or existing) for index.html and summary.md\n`);
    expect(fs.readFileSync(out, "utf8")).toBe("not a directory");
  });

  it("names a loadgen result that is not JSON, and what to do about it", () => {
    const dir = path.join(tmp, "bad-loadgen");
    writeRun(path.join(dir, "chiron"), summaryFor("chiron", 0));
    const bad = path.join(dir, "loadgen-chiron.json");
    fs.writeFileSync(bad, "{ target: nano }");
    const result = cli(dir, "--out", path.join(tmp, "bad-loadgen-out"));
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    const [line] = result.stderr.split("\n");
    expect(line.startsWith(`edgecall report: ${bad}: not JSON (`)).toBe(true);
    expect(line.endsWith("); fix it, or move it out of the summaries directory")).toBe(true);
  });

  it("refuses a directory without summaries", () => {
    fs.mkdirSync(path.join(tmp, "empty"));
    const result = cli(path.join(tmp, "empty"), "--out", path.join(tmp, "empty-out"));
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(/empty: no summaries \(summary\.json or \*\.summary\.json\) found$/);
  });
});

describe("the installed edgecall command", () => {
  it("runs the same CLI through package.json's bin entry", () => {
    const bin = (JSON.parse(fs.readFileSync(path.join(PROJECT, "package.json"), "utf8")) as { bin: { edgecall: string } }).bin.edgecall;
    const ok = spawnSync(process.execPath, [path.join(PROJECT, bin), "--help"], { encoding: "utf8" });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^usage: edgecall <command>/);
    for (const command of ["evaluate", "telemetry", "energy", "summarize", "report", "db", "loadgen"]) expect(ok.stdout).toContain(`  ${command}`);
    const bad = spawnSync(process.execPath, [path.join(PROJECT, bin), "evaluate"], { encoding: "utf8" });
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe("edgecall evaluate: --calls is required");
  });
});
