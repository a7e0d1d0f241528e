import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Summary } from "../../domain/summary";
import type { BenchmarkRunArgs, ModelBenchmark, ScalingResult } from "../../components/benchmark-run";
import { benchmarkConfigSchema } from "../../components/benchmark-run/config";
import { checkSummaryIdentity, parseSummaryConfigMap, shardedWallSeconds, speedupCurve } from "../../components/benchmark-run";
import { valueOf } from "./helpers/pulumi-mocks";

/** A summary as `edgecall summarize` writes it, with a timed window of `seconds` from `start`. */
function summary(model: string, runId: string, repeat: number, start: string, seconds: number): Summary {
  const end = new Date(Date.parse(start) + seconds * 1000).toISOString();
  return {
    schema: "edgecall.summary/v1",
    model,
    run_id: runId,
    repeat,
    board: "nano-1",
    board_kind: "nano",
    window: { start, end, seconds },
    throughput: { reads: 48, bases: 300000, samples: 3000000, reads_per_s: 48 / seconds, bases_per_s: 300000 / seconds, samples_per_s: 3000000 / seconds, latency_p50_s: 1.2, latency_p95_s: 2.5 },
    accuracy: null,
    energy: null,
    resources: null,
    provenance: {
      image_digest: "sha256:abc",
      upstream_commit: null,
      weights_sha256: null,
      l4t_release: "R32.7.1",
      power_mode: "0 (MAXN)",
      jetson_clocks: true,
      dataset_manifest_sha256: null,
      device: "cuda:0",
      framework_versions: { torch: "1.10.0" },
    },
  };
}

describe("result ConfigMap parsing", () => {
  const valid = summary("chiron", "run1", 0, "2024-05-01T10:00:00.000Z", 174);

  it("accepts a valid summary and returns it", () => {
    expect(parseSummaryConfigMap({ "summary.json": JSON.stringify(valid) }, "cm")).toEqual(valid);
  });

  it("names the ConfigMap and the first bad field of an invalid summary", () => {
    const bad = { ...valid, throughput: { ...valid.throughput, reads_per_s: "fast" } };
    expect(() => parseSummaryConfigMap({ "summary.json": JSON.stringify(bad) }, "edgecall-result-chiron-run1-0")).toThrow(
      /^ConfigMap edgecall-result-chiron-run1-0: summary\.json field throughput\.reads_per_s: .*number/,
    );
    const wrongSchema = { ...valid, schema: "edgecall.summary/v0" };
    expect(() => parseSummaryConfigMap({ "summary.json": JSON.stringify(wrongSchema) }, "cm")).toThrow(/field schema:/);
  });

  it("says what is missing when there is no summary or it is not JSON", () => {
    expect(() => parseSummaryConfigMap(undefined, "cm")).toThrow(/ConfigMap cm has no summary\.json; see the evaluate container's log/);
    expect(() => parseSummaryConfigMap({ "summary.json": "{" }, "cm")).toThrow(/ConfigMap cm: summary\.json is not JSON/);
  });

  it("refuses a summary of another model or run", () => {
    expect(checkSummaryIdentity(valid, { model: "chiron", runId: "run1", configMap: "cm" })).toBe(valid);
    expect(() => checkSummaryIdentity(valid, { model: "chiron", runId: "run2", configMap: "cm" })).toThrow(
      /cm holds the summary of model chiron run run1, expected chiron run run2/,
    );
  });
});

describe("scaling curve", () => {
  it("reproduces the seed's hand measurement: Chiron 174 s on one Nano, 35 s on four", () => {
    const curve = speedupCurve(new Map([[1, 174], [4, 35]]));
    expect(curve).toEqual([
      { boards: 1, seconds: 174, speedup: 1 },
      { boards: 4, seconds: 35, speedup: 4.97 },
    ]);
  });

  it("times a sharded run from the earliest shard start to the latest shard end", () => {
    const windows = [
      { start: "2024-05-01T10:00:02Z", end: "2024-05-01T10:00:30Z" },
      { start: "2024-05-01T10:00:00Z", end: "2024-05-01T10:00:35Z" },
      { start: "2024-05-01T10:00:01Z", end: "2024-05-01T10:00:20Z" },
    ];
    expect(shardedWallSeconds(windows, "job")).toBe(35);
    expect(() => shardedWallSeconds([{ start: "soon", end: "2024-05-01T10:00:35Z" }], "job-n2")).toThrow(/job-n2 shard 0 window\.start: "soon" is not an ISO 8601 time/);
    expect(() => shardedWallSeconds([], "job-n3")).toThrow(/no shard summaries/);
  });

  it("needs the one-board run as its baseline", () => {
    expect(() => speedupCurve(new Map([[2, 90]]))).toThrow(/needs the run on one board/);
  });
});

/** Mocks whose ConfigMap reads return what a completed Job would have written. */
function mockReadBack(): void {
  const shardWindows: Record<string, [number, number][]> = {
    n1: [[0, 174]],
    n2: [[0, 88], [1, 90]],
    n3: [[0, 61], [2, 60], [1, 58]],
    n4: [[0, 33], [1, 35], [3, 34], [2, 30]],
  };
  const base = Date.parse("2024-05-01T10:00:00Z");
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        if (args.type === "edgecall:host:Step") return { id: `${args.name}-id`, state: { ...args.inputs, facts: {}, changed: true, inSync: true } };
        // A read (`ConfigMap.get`) names an existing object's id; a new resource has none.
        if (args.type !== "kubernetes:core/v1:ConfigMap" || !args.id) return { id: `${args.name}-id`, state: args.inputs };
        const id = args.id;
        const name = args.id.replace(/^edgecall-bench\//, "");
        const result = /^edgecall-result-(\w+)-run7-(\d+)$/.exec(name);
        if (result !== null) {
          const s = summary(result[1], "run7", Number(result[2]), new Date(base).toISOString(), 100 + Number(result[2]));
          return { id, state: { data: { "summary.json": JSON.stringify(s) } } };
        }
        const shard = /^edgecall-scaling-chiron-run7-(n\d)-(\d)$/.exec(name);
        if (shard !== null) {
          const [from, to] = shardWindows[shard[1]][Number(shard[2])];
          const s = summary("chiron", "run7", 0, new Date(base + from * 1000).toISOString(), to - from);
          return { id, state: { data: { "summary.json": JSON.stringify(s) } } };
        }
        throw new Error(`unexpected ConfigMap read ${name}`);
      },
      call: () => ({}),
    },
    "edgecall",
    "readback",
    false,
  );
}

describe("BenchmarkRun reading results back under Pulumi mocks", () => {
  let tmp: string;
  let benchmarks: Record<string, ModelBenchmark>;
  let scaling: Record<string, ScalingResult>;

  beforeAll(async () => {
    mockReadBack();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-readback-"));
    const sha = (d: string) => d.repeat(64);
    const reads = ["a", "b", "c", "d", "e"].map((r) => `${r}.fast5\t${sha(r)}\n`).join("");
    fs.writeFileSync(path.join(tmp, "manifest.tsv"), `${reads}ref.fa\t${sha("f")}\n`);
    const { BenchmarkRun } = await import("../../components/benchmark-run");
    const k8s = await import("@pulumi/kubernetes");
    const connection = (host: string) => ({ host, port: 22, user: "jetson", privateKey: "k", dialErrorLimit: 1, perDialTimeout: 5 });
    const args: BenchmarkRunArgs = {
      provider: new k8s.Provider("cluster", { kubeconfig: "apiVersion: v1" }),
      boards: [
        { nodeName: "nano-1", models: ["chiron"], connection: connection("10.0.0.1") },
        { nodeName: "nano-2", models: ["sacall"], connection: connection("10.0.0.2") },
        { nodeName: "nano-3", models: [], connection: connection("10.0.0.3") },
        { nodeName: "nano-4", models: [], connection: connection("10.0.0.4") },
      ],
      images: { models: { chiron: "c", sacall: "s" }, converter: "conv", tools: "tools" },
      config: benchmarkConfigSchema.parse({
        dataset: { url: "https://data.example/set", manifest: "manifest.tsv" },
        reference: "ref.fa",
        warmup: 0,
        repeats: 2,
        batchSize: 1,
        idleBaselineSeconds: 0,
        runId: "run7",
        timeoutSeconds: 600,
        scaling: { model: "chiron", maxBoards: 4 },
      }),
      baseDir: tmp,
      readResults: true,
    };
    const run = new BenchmarkRun("lab", args);
    benchmarks = await valueOf(run.benchmarks);
    scaling = await valueOf(run.scaling);
  });

  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("publishes each model's validated summaries, one per repeat in order", () => {
    expect(Object.keys(benchmarks).sort()).toEqual(["chiron", "sacall"]);
    const chiron = benchmarks.chiron;
    if (chiron.status !== "measured") throw new Error(`chiron was ${chiron.status}`);
    expect(chiron.runId).toBe("run7");
    expect(chiron.summaries.map((s) => [s.model, s.repeat, s.window.seconds])).toEqual([
      ["chiron", 0, 100],
      ["chiron", 1, 101],
    ]);
  });

  it("adds each model's aggregate and keep-up factor, from the chiron scaling curve where there is one", () => {
    const chiron = benchmarks.chiron;
    const sacall = benchmarks.sacall;
    if (chiron.status !== "measured" || sacall.status !== "measured") throw new Error("not measured");
    // Repeats of 100 s and 101 s over 3,000,000 samples: 30,000 and 29,702.97 samples/s, median 29,851.49.
    expect(chiron.aggregate).toHaveLength(1);
    expect(chiron.aggregate[0]).toMatchObject({ model: "chiron", boardKind: "nano", powerMode: "0 (MAXN)", repeats: 2, medianIdentity: null, joulesPerMegabase: null, gpuLoadMeanPct: null });
    expect(chiron.aggregate[0].samplesPerS.median).toBeCloseTo(29851.485, 3);
    expect(chiron.aggregate[0].samplesPerS).toMatchObject({ min: 3000000 / 101, max: 30000 });
    // Factor 29,851.49 / 2,048,000 = 0.01458. Without a curve: ceil(68.6) = 69 boards. With chiron's
    // curve, 4 boards reach 0.01458 x 4.97 = 0.0724, 0.0181 a board: ceil(55.2) = 56 boards.
    expect(chiron.keepUp).toEqual([{ model: "chiron", boardKind: "nano", powerMode: "0 (MAXN)", engine: "torch", precision: "fp32", factor: expect.closeTo(0.014576, 6), boardsNeeded: 56, method: "linear-beyond-curve" }]);
    expect(sacall.keepUp).toEqual([{ model: "sacall", boardKind: "nano", powerMode: "0 (MAXN)", engine: "torch", precision: "fp32", factor: expect.closeTo(0.014576, 6), boardsNeeded: 69, method: "linear" }]);
  });

  it("computes the speedup curve from the shards' windows", () => {
    expect(scaling).toEqual({
      chiron: {
        status: "measured",
        curve: [
          { boards: 1, seconds: 174, speedup: 1 },
          { boards: 2, seconds: 90, speedup: 1.93 },
          { boards: 3, seconds: 61, speedup: 2.85 },
          { boards: 4, seconds: 35, speedup: 4.97 },
        ],
      },
    });
  });
});
