import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { paretoFrontier } from "../../benchmarks/report/pareto";
import { summaryFor } from "./helpers/summaries";
import { EDGECALL_BIN, ensureBuilt } from "../helpers/build";

const PROJECT = path.resolve(__dirname, "../..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-report-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]) {
  return cliWith({}, ...args);
}

function cliWith(opts: { input?: string; env?: NodeJS.ProcessEnv }, ...args: string[]) {
  const result = spawnSync(path.join(PROJECT, "node_modules/.bin/tsx"), ["benchmarks/cli.ts", "report", ...args], { cwd: PROJECT, encoding: "utf8", input: opts.input, env: opts.env ?? process.env });
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

  it("keeps exact ties together, drops a run tied on two criteria and worse on the third, and counts unmeasured energy as worst", () => {
    const points = [
      { label: "a", basesPerS: 1000, identity: 0.9, joulesPerMegabase: 50 },
      { label: "a-again", basesPerS: 1000, identity: 0.9, joulesPerMegabase: 50 },
      { label: "hungrier", basesPerS: 1000, identity: 0.9, joulesPerMegabase: 60 },
      { label: "slower", basesPerS: 999, identity: 0.9, joulesPerMegabase: 50 },
      { label: "unmetered", basesPerS: 1000, identity: 0.9, joulesPerMegabase: null },
      { label: "unmetered-best", basesPerS: 1200, identity: 0.8, joulesPerMegabase: null },
    ];
    expect(paretoFrontier(points).map((p) => p.label)).toEqual(["a", "a-again", "unmetered-best"]);
  });
});

describe("edgecall report", () => {
  it("writes an offline HTML page with the six chart figures and a Markdown table of every run", () => {
    const dir = path.join(tmp, "summaries");
    writeRun(path.join(dir, "chiron"), withFigures("chiron", 500, 0.95, 90), true);
    writeRun(path.join(dir, "sacall"), withFigures("sacall", 3000, 0.85, 40), true);
    writeRun(path.join(dir, "weird"), withFigures("<script>alert(1)</script>", 400, 0.84, 100));
    fs.writeFileSync(path.join(dir, "loadgen-chiron.json"), JSON.stringify({ target: "http://nano:6003", levels: [1, 2, 4].map((c) => ({ concurrency: c, requests: 8, succeeded: 8, errors: {}, seconds: 4, reads_per_s: c * 1.5, bases_per_s: c * 900, latency_mean_s: 0.3, latency_p50_s: 0.3, latency_p95_s: 0.1 * c, latency_p99_s: 0.2 * c })) }));
    const out = path.join(tmp, "out");
    const result = cli(dir, "--out", out, "--json");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ html: path.join(out, "index.html"), markdown: path.join(out, "summary.md"), runs: 3, loads: 1 });
    const html = fs.readFileSync(path.join(out, "index.html"), "utf8");
    // Five charts have data; the scaling chart (no curves from a directory) says so.
    expect(html.match(/<svg /g)).toHaveLength(5);
    for (const slug of ["accuracy-throughput", "energy-throughput", "keep-up", "power", "concurrency"]) {
      expect(html).toMatch(new RegExp(`<figure class="chart" id="chart-${slug}"><figcaption>[^]*?</figcaption><svg [^]*?</svg></figure>`));
    }
    expect(html).toContain(
      '<figure class="chart no-data" id="chart-scaling"><p>Speedup against boards: not given: scaling curves come from the stack (`edgecall report -` with the whole `pulumi stack output --json`, or --stack NAME).</p></figure>',
    );
    expect(html).toContain("Pareto frontier");
    expect(html).toContain("http://nano:6003");
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("&lt;script&gt;");
    // Readable offline: nothing is fetched (the only URL is the SVG namespace).
    expect(html.match(/(src|href)=/g)).toBeNull();
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, "")).not.toMatch(/https?:\/\/(?!nano)/);
    const mdText = fs.readFileSync(path.join(out, "summary.md"), "utf8");
    const md = mdText.split("\n");
    const runsAt = md.indexOf("## Runs");
    expect(md.slice(runsAt + 2, runsAt + 4)[0]).toMatch(/^\| model \| board \| run \|/);
    expect(md.filter((l) => l.includes("| r1#0 |") && l.includes("MISSING: image digest"))).toHaveLength(3);
    expect(md[runsAt + 4]).toContain("| chiron | nano-1 | r1#0 | 0.17 | 500.0 | 0.9500 | 90.0 |");
    // The aggregates come before the runs, and the headline before everything.
    expect(mdText.indexOf("## Per model")).toBeLessThan(mdText.indexOf("## Runs"));
    expect(md[0]).toMatch(/^No model keeps up with a minion-r9 flow cell/);
    expect(html.indexOf("Per model")).toBeLessThan(html.indexOf("<h2>Runs</h2>"));
  });

  it("writes names from the runs into summary.md as text: no HTML, no line break that ends a row or starts a heading", () => {
    const dir = path.join(tmp, "md-names");
    writeRun(path.join(dir, "a"), { ...withFigures("rodan\n# Injected heading <b>bold</b> | cell", 400, 0.9, 50), board: "nano\r\n## board" });
    const out = path.join(tmp, "md-out");
    expect(cli(dir, "--out", out).code).toBe(0);
    const md = fs.readFileSync(path.join(out, "summary.md"), "utf8").split("\n");
    expect(md.filter((l) => /^#+ /.test(l))).toEqual(["## Per model (median, min-max over repeats)", "## Keep-up with the flow cell", "## Runs", "## Provenance"]);
    expect(md.join("\n")).not.toMatch(/<b>|<\/b>/);
    expect(md[0]).toContain("rodan # Injected heading &lt;b&gt;bold&lt;/b&gt;");
    const row = md.find((l) => l.startsWith("| ") && l.includes("Injected heading"));
    expect(row).toContain("| rodan # Injected heading &lt;b&gt;bold&lt;/b&gt; \\| cell |");
  });

  it("holds every summary to one rule: no measured amount negative, every time a strict ISO time with its zone", () => {
    const base = withFigures("rodan", 400, 0.9, 50) as { energy: Record<string, unknown>; window: Record<string, unknown> };
    const cases: Array<[string, object, RegExp]> = [
      ["negative-energy", { ...base, energy: { ...base.energy, joules: -500 } }, /: not an edgecall summary: energy\.joules: Too small: expected number to be >=0$/],
      ["not-a-time", { ...base, window: { ...base.window, start: "yesterday" } }, /: not an edgecall summary: window\.start: "yesterday" expected ISO 8601 /],
      ["no-such-day", { ...base, window: { ...base.window, end: "2026-02-30T10:00:00Z" } }, /: not an edgecall summary: window\.end: "2026-02-30T10:00:00Z" is not a valid time \(February 2026 has no day 30\)$/],
      ["negative-seconds", { ...base, window: { ...base.window, seconds: -1 } }, /: not an edgecall summary: window\.seconds: Too small: expected number to be >=0$/],
    ];
    for (const [name, summary, message] of cases) {
      const dir = path.join(tmp, `rule-${name}`);
      writeRun(dir, summary);
      const result = cli(dir, "--out", path.join(tmp, `rule-${name}-out`));
      expect(result.code, name).toBe(1);
      expect(result.stderr.trim(), name).toMatch(message);
    }
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

/** A `benchmarks` stack output: chiron measured twice (512,000 and 1,024,000 samples/s), sacall only rendered. */
function stackOutput() {
  const at = (repeat: number, samples: number) => {
    const s = summaryFor("chiron", repeat);
    return { ...s, throughput: { ...s.throughput, samples_per_s: samples } };
  };
  return {
    chiron: { status: "measured", runId: "r1", summaries: [at(0, 512_000), at(1, 1_024_000)], aggregate: [], keepUp: [] },
    sacall: { status: "not measured: rendered only", runId: "r1", jobs: ["edgecall-bench-sacall-r1-0"] },
  };
}

/** A directory holding only `node`, so a PATH of it has no pulumi but still runs tsx. */
function pathWithout(): string {
  const dir = fs.mkdtempSync(path.join(tmp, "path-"));
  fs.symlinkSync(process.execPath, path.join(dir, "node"));
  return dir;
}

/** A fake `pulumi` that records its arguments and prints the given JSON, or fails as pulumi does. */
function fakePulumi(json: string | null): { dir: string; argsFile: string } {
  const dir = pathWithout();
  const argsFile = path.join(dir, "args");
  fs.writeFileSync(path.join(dir, "out.json"), json ?? "");
  const body = json === null ? 'echo "error: no stack named \'lab\' found" >&2\nexit 255' : `/bin/cat "${dir}/out.json"`;
  fs.writeFileSync(path.join(dir, "pulumi"), `#!/bin/sh\necho "$@" > "${argsFile}"\n${body}\n`, { mode: 0o755 });
  return { dir, argsFile };
}

const headlineOf = (out: string): string => fs.readFileSync(path.join(out, "summary.md"), "utf8").split("\n")[0];

describe("edgecall report from the stack", () => {
  it("reads the benchmarks output on stdin: median 768,000 samples/s is 0.375 of a MinION R9.4.1, 3 boards", () => {
    const out = path.join(tmp, "stdin-out");
    const result = cliWith({ input: JSON.stringify(stackOutput()) }, "-", "--out", out, "--json");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ runs: 2, loads: 0 });
    expect(headlineOf(out)).toBe(
      "No model keeps up with a minion-r9 flow cell (512 channels x 4000 Hz = 2.048 M samples/s) on one board; the fastest, chiron on nano (power mode 0 (MAXN)) (keep-up factor 0.375), needs 3 boards, assuming n boards are n times as fast (no scaling curve measured).",
    );
    const md = fs.readFileSync(path.join(out, "summary.md"), "utf8");
    expect(md).toContain("| chiron | nano | 0 (MAXN) | torch | fp32 | 2 | 1000.0 | 768000 (512000-1024000) | 0.17 | NA | NA | 2.000 | NA |");
    const html = fs.readFileSync(path.join(out, "index.html"), "utf8");
    expect(html).toContain("keep-up factor 0.375");
  });

  it("takes another flow cell, and the measured scaling curve when every output is piped in", () => {
    const r10 = path.join(tmp, "stdin-r10");
    expect(cliWith({ input: JSON.stringify(stackOutput()) }, "-", "--out", r10, "--flow-cell", "minion-r10").code).toBe(0);
    // 768,000 / 2,560,000 = 0.3: ceil(3.33) = 4 boards.
    expect(headlineOf(r10)).toMatch(/5000 Hz = 2\.560 M samples\/s\) on one board; .*\(keep-up factor 0\.300\), needs 4 boards, assuming/);
    const all = { benchmarks: stackOutput(), scaling: { chiron: { status: "measured", curve: [{ boards: 1, seconds: 100, speedup: 1 }, { boards: 2, seconds: 60, speedup: 1.67 }, { boards: 3, seconds: 40, speedup: 2.5 }, { boards: 4, seconds: 29, speedup: 3.4 }] } } };
    const curved = path.join(tmp, "stdin-curve");
    expect(cliWith({ input: JSON.stringify(all) }, "-", "--out", curved).code).toBe(0);
    // 0.375 x 2.5 = 0.94 on 3 boards, 0.375 x 3.4 = 1.28 on 4: the curve needs one more than linear.
    expect(headlineOf(curved)).toMatch(/needs 4 boards, from the measured scaling curve\.$/);
    const bad = cliWith({ input: "" }, "-", "--out", curved, "--flow-cell", "512:0");
    expect(bad.stderr).toBe("edgecall report: --flow-cell \"512:0\": sampleRateHz must be positive\n");
  });

  it("draws from the whole stack output what the outputs feed: load levels, each summary's power series; a stand-in's accuracy says why it is empty", () => {
    const output = stackOutput();
    const points: Array<[number, number]> = [[0, 2.1], [2, 2.2], [30, 6.5], [62, 2.4]];
    const standIn = (summary: ReturnType<typeof summaryFor>) => ({
      ...summary,
      accuracy: { reads: 10, bases: 600, aligned_reads: 0, unaligned_fraction: 1, median_identity: null, mean_identity: null, mismatch_rate: null, insertion_rate: null, deletion_rate: null },
      power: { rail: "POM_5V_IN", origin: "2026-11-24T09:59:58.000Z", points },
      provenance: { ...summary.provenance, stand_in: "ctc-test", upstream_commit: null },
    });
    output.chiron.summaries = output.chiron.summaries.map(standIn);
    const level = (c: number) => ({ concurrency: c, requests: 8, succeeded: 8, errors: {}, seconds: 4, reads_per_s: c, bases_per_s: c * 600, latency_mean_s: 0.3, latency_p50_s: 0.3, latency_p95_s: 0.1 * c, latency_p99_s: 0.2 * c });
    const all = { benchmarks: output, load: { chiron: { status: "measured", runId: "r1", report: { target: "http://edgecall-chiron.edgecall:8080", levels: [level(1), level(4)] } } } };
    const out = path.join(tmp, "stdin-whole");
    const result = cliWith({ input: JSON.stringify(all) }, "-", "--out", out, "--json");
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toMatchObject({ runs: 2, loads: 1 });
    const html = fs.readFileSync(path.join(out, "index.html"), "utf8");
    for (const slug of ["power", "concurrency", "keep-up"]) expect(html).toContain(`<figure class="chart" id="chart-${slug}">`);
    expect(html).toContain(
      "Accuracy against throughput: no read aligned to the reference: the ctc-test network stands in for the models, and its calls are not meant to align.",
    );
    expect(html).toContain("Speedup against boards: not configured or not given: no scaling curve (set benchmark.scaling in the stack");
    expect(html).toContain("none: the ctc-test network stood in for the model");
    expect(html).not.toMatch(/MISSING: [^<]*upstream commit/);

    const badLoad = { ...all, load: { chiron: { status: "measured", runId: "r1", report: { target: "x", levels: [{ concurrency: 0 }] } } } };
    const refused = cliWith({ input: JSON.stringify(badLoad) }, "-", "--out", path.join(tmp, "stdin-bad-load"));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^edgecall report: stdin: load\.chiron\.report is not a loadgen report: levels\.0\.concurrency: /);
  });

  it("gives the live output its section: a table per model and speed, the backlog chart, and the verdicts in the headline", () => {
    const rate = (speed: number, behind: boolean) => ({
      speed,
      offeredSamplesPerS: 204_800 * speed,
      sustainedSamplesPerS: 3_500_000,
      latencyS: { p50: behind ? 8 : 0.13, p95: behind ? 15.2 : 0.14, max: behind ? 16 : 0.2 },
      largestBacklog: { files: behind ? 149 : 1, reads: behind ? 298 : 2 },
      backlog: behind ? [[0, 0, 0], [6, 77, 154], [12, 144, 288], [27, 12, 24]] : [[0, 0, 0], [2, 1, 2]],
      verdict: behind ? "falls behind" : "keeps up",
      behindMinutesPerHour: behind ? 34.8 : 0,
      filesSetAside: 0,
    });
    const ruLevel = (channels: number, share: number) => ({ channels, chunks: channels * 3, in_time: Math.round(channels * 3 * share), in_time_share: share, errors: {}, latency_p50_s: 0.05, latency_p95_s: share > 0.9 ? 0.2 : 0.9 });
    const readUntil = { servedChannels: 2, chunkS: 0.4, inTimeGoal: 0.95, levels: [ruLevel(2, 1), ruLevel(64, 0.25)] };
    const live = { chiron: { status: "measured", runId: "r1", engine: "torch", precision: "fp32", durationS: 12, rates: [rate(0.5, false), rate(40, true)], readUntil } };
    const out = path.join(tmp, "stdin-live");
    const result = cliWith({ input: JSON.stringify({ benchmarks: stackOutput(), live }) }, "-", "--out", out);
    expect(result.stderr).toBe("");
    const html = fs.readFileSync(path.join(out, "index.html"), "utf8");
    expect(html).toMatch(/<p class="headline">[^<]* Live, at multiples of the flow cell rate: chiron keeps up at 0\.5x, falls behind at 40x \(34\.8 min per hour\)\.<\/p>/);
    expect(html).toContain('<figure class="chart" id="chart-live"><figcaption>');
    const md = fs.readFileSync(path.join(out, "summary.md"), "utf8");
    expect(md).toContain("## Live: calling a run as it is written");
    expect(md).toMatch(/^\| chiron \| torch \| 40x \| 8192000 \| 3500000 \| 8\.00 \| 15\.20 \| 16\.00 \| 149 \| falls behind \(34\.8 min per hour\) \|$/m);
    expect(md).toMatch(/^\| chiron \| torch \| 0\.5x \| 102400 \| 3500000 \| 0\.13 \| 0\.14 \| 0\.20 \| 1 \| keeps up \|$/m);
    expect(md).toContain("## Adaptive sampling: channels served in time");
    expect(md).toMatch(/^\| chiron \| 2 \(95% in 0\.4 s\) \| 2: 100\.0%, 64: 25\.0% \| 2: 0\.200, 64: 0\.900 \|$/m);
    expect(html).toContain("<h3>Adaptive sampling: channels served in time</h3>");

    // Without it the chart says where a live benchmark comes from; a broken rate is named.
    const none = path.join(tmp, "stdin-no-live");
    cliWith({ input: JSON.stringify({ benchmarks: stackOutput() }) }, "-", "--out", none);
    expect(fs.readFileSync(path.join(none, "index.html"), "utf8")).toContain("Live: backlog over time: not configured or not given: no live benchmark (set benchmark.live in the stack");
    const bad = cliWith({ input: JSON.stringify({ benchmarks: stackOutput(), live: { chiron: { ...live.chiron, rates: [{ ...rate(1, false), verdict: "maybe" }] } } }) }, "-", "--out", path.join(tmp, "stdin-bad-live"));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^edgecall report: stdin: live\.chiron\.rates\[0\] is not a live rate: verdict: /);
  });

  it("is drawn by the compiled CLI too, as npx and the tools image run it (vega is an ES module the CommonJS build must import natively)", () => {
    ensureBuilt();
    const out = path.join(tmp, "compiled-out");
    const result = spawnSync(process.execPath, [EDGECALL_BIN, "report", "-", "--out", out], { input: JSON.stringify(stackOutput()), encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(fs.readFileSync(path.join(out, "index.html"), "utf8")).toContain('<figure class="chart" id="chart-keep-up"><figcaption>');
  });

  it("names the model and repeat of a summary in the output that does not validate", () => {
    const output = stackOutput();
    (output.chiron.summaries[1] as { throughput: unknown }).throughput = { reads: -1 };
    const result = cliWith({ input: JSON.stringify(output) }, "-", "--out", path.join(tmp, "stdin-bad"));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^edgecall report: stdin: chiron\.summaries\[1\] is not an edgecall summary: throughput\.reads: /);
    const rendered = cliWith({ input: JSON.stringify({ sacall: stackOutput().sacall }) }, "-", "--out", path.join(tmp, "stdin-bad"));
    expect(rendered.stderr).toBe("edgecall report: stdin: no measured model with summaries (models only rendered, or no benchmark config)\n");
  });

  it("--stack runs pulumi stack output itself", () => {
    const fake = fakePulumi(JSON.stringify(stackOutput()));
    const out = path.join(tmp, "stack-out");
    const result = cliWith({ env: { ...process.env, PATH: fake.dir } }, "--stack", "lab", "--out", out);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(fs.readFileSync(fake.argsFile, "utf8").trim()).toBe("stack output --json --stack lab");
    expect(headlineOf(out)).toMatch(/keep-up factor 0\.375\), needs 3 boards/);
  });

  it("--stack says so when pulumi fails or is not installed", () => {
    const failing = fakePulumi(null);
    const failed = cliWith({ env: { ...process.env, PATH: failing.dir } }, "--stack", "lab", "--out", path.join(tmp, "stack-fail"));
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe("edgecall report: --stack lab: `pulumi stack output --json --stack lab` failed: error: no stack named 'lab' found\n");
    const missing = cliWith({ env: { ...process.env, PATH: pathWithout() } }, "--stack", "lab", "--out", path.join(tmp, "stack-missing"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^edgecall report: --stack: pulumi is not on PATH; install the Pulumi CLI/);
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
