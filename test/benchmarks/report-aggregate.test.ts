import { describe, expect, it } from "vitest";
import { aggregateRuns, boardKind, spread } from "../../domain/aggregate";
import { DEFAULT_FLOW_CELL, flowCellRate, parseFlowCell } from "../../domain/flow-cell";
import { headline } from "../../benchmarks/report/headline";
import { keepUp } from "../../domain/keep-up";
import { missingProvenance, provenanceItems } from "../../benchmarks/report/provenance";
import type { Summary } from "../../domain/summary";
import { summaryFor } from "./helpers/summaries";

/** A summary with the figures the aggregate reads set by hand. */
function run(model: string, repeat: number, f: { bases: number; samples: number; reads: number; identity?: number; jPerMb?: number; p95?: number | null; gpu?: number; board?: string; kind?: string | null; device?: string; power?: string }): Summary {
  const s = summaryFor(model, repeat, f.bases);
  return {
    ...s,
    board: f.board ?? "nano-1",
    board_kind: "kind" in f ? f.kind : s.board_kind,
    throughput: { ...s.throughput, bases_per_s: f.bases, samples_per_s: f.samples, reads_per_s: f.reads, latency_p95_s: f.p95 === undefined ? 2 : f.p95 },
    accuracy: f.identity === undefined ? null : { reads: 10, bases: 100, aligned_reads: 10, unaligned_fraction: 0, median_identity: f.identity, mean_identity: f.identity, mismatch_rate: 0, insertion_rate: 0, deletion_rate: 0 },
    energy: f.jPerMb === undefined ? null : { rail: "VDD_IN", joules: 1, mean_watts: 1, seconds: 1, joules_per_read: 1, joules_per_megabase: f.jPerMb, above_idle: null, per_rail_mean_watts: {} },
    resources: f.gpu === undefined ? null : { gpu_load_mean_pct: f.gpu, gpu_load_max_pct: 100, ram_peak_mb: 1, emc_mean_pct: 1, temperature_max_c: {}, throttle_events: 0 },
    provenance: { ...s.provenance, device: f.device ?? "cuda", power_mode: f.power ?? "0 (MAXN)" },
  };
}

describe("per-model aggregates", () => {
  const runs = [
    run("chiron", 0, { bases: 1300, samples: 30000, reads: 3, identity: 0.9, p95: 4, gpu: 50 }),
    run("chiron", 1, { bases: 900, samples: 10000, reads: 1, p95: null }),
    run("chiron", 2, { bases: 1000, samples: 20000, reads: 2, identity: 0.8, p95: 3 }),
    run("sacall", 0, { bases: 5000, samples: 50000, reads: 5, board: "lab-3", kind: null, device: "Jetson AGX Orin" }),
    run("chiron", 3, { bases: 100, samples: 1000, reads: 0.5, power: "1 (5W)" }),
  ];

  it("keeps fp16 runs apart from fp32 ones of the same model and board, and names the precision", () => {
    const half = { ...runs[3], provenance: { ...runs[3].provenance, precision: "fp16" as const } };
    const aggregates = aggregateRuns([runs[3], half, { ...half, repeat: 1 }]);
    expect(aggregates.map((a) => [a.model, a.precision, a.repeats])).toEqual([["sacall", "fp16", 2], ["sacall", "fp32", 1]]);
    const rows = keepUp(aggregates, DEFAULT_FLOW_CELL);
    expect(rows.map((k) => k.precision)).toEqual(["fp16", "fp32"]);
    expect(headline(rows.slice(0, 1), DEFAULT_FLOW_CELL)).toContain("sacall in fp16 on orin");
  });

  it("groups by model, board kind and power mode, with median and range over the repeats", () => {
    const aggregates = aggregateRuns(runs);
    expect(aggregates.map((a) => [a.model, a.boardKind, a.powerMode, a.repeats])).toEqual([
      ["chiron", "nano", "0 (MAXN)", 3],
      ["chiron", "nano", "1 (5W)", 1],
      ["sacall", "orin", "0 (MAXN)", 1],
    ]);
    const chiron = aggregates[0];
    expect(chiron.basesPerS).toEqual({ median: 1000, min: 900, max: 1300 });
    expect(chiron.samplesPerS).toEqual({ median: 20000, min: 10000, max: 30000 });
    expect(chiron.readsPerS).toEqual({ median: 2, min: 1, max: 3 });
    // Two of three repeats measured identity: the median of two is their mean; the third is not a 0.
    expect(chiron.medianIdentity?.median).toBeCloseTo(0.85, 12);
    expect(chiron.medianIdentity).toMatchObject({ min: 0.8, max: 0.9 });
    expect(chiron.latencyP95S).toEqual({ median: 3.5, min: 3, max: 4 });
    expect(chiron.gpuLoadMeanPct).toEqual({ median: 50, min: 50, max: 50 });
    // Absent from every repeat: absent, not 0.
    expect(chiron.joulesPerMegabase).toBeNull();
  });

  it("takes the board kind the stack recorded, else the kind the device names, else says it is not recorded: never a guess from the node's name", () => {
    expect(boardKind(run("x", 0, { bases: 1, samples: 1, reads: 1, board: "orin-lab", kind: "xavier" }))).toBe("xavier");
    expect(boardKind(runs[3])).toBe("orin");
    const unrecorded = run("x", 0, { bases: 1, samples: 1, reads: 1, board: "nano-7" });
    delete unrecorded.board_kind;
    expect(boardKind(unrecorded)).toBe("node nano-7 (kind not recorded)");
    expect(boardKind({ ...unrecorded, board: null })).toBe("unknown board");
    expect(spread([])).toBeNull();
    expect(spread([null, undefined])).toBeNull();
  });
});

describe("keep-up factor", () => {
  const curve = [
    { boards: 1, speedup: 1 },
    { boards: 2, speedup: 1.93 },
    { boards: 3, speedup: 2.85 },
    { boards: 4, speedup: 4.97 },
  ];
  const at = (samples: number) => aggregateRuns([run("chiron", 0, { bases: 1, samples, reads: 1 })]);
  const r9 = parseFlowCell("minion-r9");

  it("divides samples/s by the flow cell's rate and needs ceil(1 / factor) boards without a curve", () => {
    expect(flowCellRate(r9)).toBe(2_048_000);
    expect(flowCellRate(parseFlowCell("minion-r10"))).toBe(2_560_000);
    const [quarter] = keepUp(at(512_000), r9);
    expect(quarter).toMatchObject({ factor: 0.25, boardsNeeded: 4, method: "linear" });
    const [half] = keepUp(at(1_280_000), parseFlowCell("512:5000"));
    expect(half).toMatchObject({ factor: 0.5, boardsNeeded: 2 });
  });

  it("uses the measured speedup where a scaling curve exists, which can need more boards than linear", () => {
    // 696,320 / 2,048,000 = 0.34: linear says ceil(2.94) = 3, but 0.34 x 2.85 = 0.97 on 3 boards; 0.34 x 4.97 = 1.69 on 4.
    expect(keepUp(at(696_320), r9)[0]).toMatchObject({ boardsNeeded: 3, method: "linear" });
    expect(keepUp(at(696_320), r9, { chiron: curve })[0]).toMatchObject({ boardsNeeded: 4, method: "scaling-curve" });
    // 0.1 x 4.97 = 0.497 on 4 boards, 0.12425 per board: ceil(8.05) = 9 boards past the curve.
    expect(keepUp(at(204_800), r9, { chiron: curve })[0]).toMatchObject({ boardsNeeded: 9, method: "linear-beyond-curve" });
    expect(keepUp(at(0), r9)[0]).toMatchObject({ factor: 0, boardsNeeded: null });
  });

  it("says first whether the fastest model keeps up", () => {
    expect(headline(keepUp(at(3_072_000), r9), r9)).toBe(
      "chiron on nano (power mode 0 (MAXN)) keeps up with a minion-r9 flow cell (512 channels x 4000 Hz = 2.048 M samples/s) on one board (keep-up factor 1.500).",
    );
    expect(headline(keepUp(at(512_000), r9), r9)).toBe(
      "No model keeps up with a minion-r9 flow cell (512 channels x 4000 Hz = 2.048 M samples/s) on one board; the fastest, chiron on nano (power mode 0 (MAXN)) (keep-up factor 0.250), needs 4 boards, assuming n boards are n times as fast (no scaling curve measured).",
    );
  });

  it("refuses a flow cell it cannot read, saying which forms it takes", () => {
    expect(() => parseFlowCell("512x4000")).toThrow('"512x4000" is not a flow cell; give CHANNELS:HZ (e.g. 512:4000) or one of minion-r9, minion-r10');
    expect(() => parseFlowCell("0:4000")).toThrow("channels must be at least 1");
  });
});

describe("provenance", () => {
  it("lists what a run lacks", () => {
    // summaryFor has L4T, power mode, jetson_clocks only.
    expect(missingProvenance(summaryFor("chiron", 0))).toEqual(["image digest", "upstream commit", "weights sha256", "dataset manifest sha256", "edgecall version"]);
  });

  it("says whether the weights were verified against their pin, where the summary tells", () => {
    const base = summaryFor("chiron", 0);
    const weights = (provenance: Partial<typeof base.provenance>) =>
      provenanceItems({ ...base, provenance: { ...base.provenance, weights_sha256: "f00", ...provenance } }).find((i) => i.label === "weights sha256")?.value;
    expect(weights({ weights_verified: true })).toBe("f00 (verified against its pin)");
    expect(weights({ weights_verified: false })).toBe("f00 (not pinned)");
    expect(weights({})).toBe("f00");
  });
});
