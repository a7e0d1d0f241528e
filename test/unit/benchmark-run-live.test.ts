import { describe, expect, it } from "vitest";
import { LIVE_KEY, LiveSettings, liveDeadlineSeconds, liveJob, liveJobName, parseLiveConfigMap } from "../../components/benchmark-run";
import { LiveSpeedReport, liveRate } from "../../domain/live";
import { podSettings } from "./helpers/pod-settings";

const live: LiveSettings = { speeds: [0.5, 2], durationSeconds: 120, occupancy: 0.8, readsPerFile: 100, backlogWindowSeconds: 30, flowCell: { channels: 512, sampleRateHz: 4000 } };

/** A speed as `edgecall-runner live-bench` reports it: 12 s of sequencing at 100,000 samples/s. */
function speed(overrides: Partial<LiveSpeedReport> = {}): LiveSpeedReport {
  return {
    speed: 0.5,
    requested_samples_per_s: 100_000,
    sequencing_s: 12,
    files_written: 6,
    samples_written: 1_200_000,
    files: 6,
    files_set_aside: 0,
    reads: 12,
    samples: 1_200_000,
    sustained_samples_per_s: 101_000,
    samples_called_by_end: 1_000_000,
    latency_s: { p50: 0.3, p95: 0.6, max: 0.7 },
    largest_backlog: { files: 1, reads: 2 },
    fell_behind: false,
    backlog_series: [[0, 0, 0], [2.1, 1, 2]],
    ...overrides,
  };
}

describe("live Job", () => {
  const named = liveJob(podSettings({ model: "rodan", engine: "onnxruntime", precision: "int8" }), live);
  const pod = named.spec.template.spec;
  const runner = pod.initContainers?.[0];
  const option = (name: string) => runner?.command?.[runner.command.indexOf(name) + 1];

  it("runs live-bench in the model image on the model's board, on its GPU, then publishes from the tools image", () => {
    expect(named.name).toBe(liveJobName("rodan", "lab-2024-05"));
    expect(named.resultNames).toEqual(["edgecall-live-rodan-lab-2024-05"]);
    expect(pod.nodeSelector).toEqual({ "edgecall.io/model-rodan": "true" });
    expect(runner?.image).toBe("registry.local/chiron@sha256:1234");
    expect(runner?.command?.slice(0, 2)).toEqual(["edgecall-runner", "live-bench"]);
    expect(runner?.resources?.limits).toEqual({ "nvidia.com/gpu": "1" });
    expect(pod.runtimeClassName).toBe("edgecall-nvidia");
    expect(pod.containers.map((c) => [c.name, c.image])).toEqual([["publish", "registry.local/tools:1"]]);
    expect(pod.containers[0].command).toEqual(["node", "/scripts/publish-result.js", "$(EDGECALL_NAMESPACE)", "edgecall-live-rodan-lab-2024-05", "/work/live.json", LIVE_KEY]);
  });

  it("replays the manifest's reads at the flow cell's rate for every speed, and runs int8 as fp32 (no converted reads to calibrate on)", () => {
    expect(option("--manifest")).toBe("/manifests/reads.tsv");
    expect(option("--dataset")).toBe("/dataset");
    expect([option("--speeds"), option("--duration-s"), option("--channels"), option("--sample-rate-hz"), option("--occupancy")]).toEqual(["0.5,2", "120", "512", "4000", "0.8"]);
    expect([option("--reads-per-file"), option("--backlog-window-s"), option("--engine"), option("--precision")]).toEqual(["100", "30", "onnxruntime", "fp32"]);
    expect(runner?.volumeMounts?.find((m) => m.name === "dataset")).toMatchObject({ mountPath: "/dataset", readOnly: true });
  });

  it("gives every speed four times its sequencing, after the model's load", () => {
    expect(named.spec.activeDeadlineSeconds).toBe(liveDeadlineSeconds(live));
    expect(liveDeadlineSeconds(live)).toBe(900 + 2 * 120 * 4);
  });
});

describe("live verdicts", () => {
  it("keeps up when the backlog never stayed above one file and every file was called", () => {
    const rate = liveRate(speed());
    expect(rate).toMatchObject({ speed: 0.5, offeredSamplesPerS: 100_000, sustainedSamplesPerS: 101_000, verdict: "keeps up", behindMinutesPerHour: 0 });
  });

  it("falls behind by the sequencing left uncalled when the sequencer stopped, per hour", () => {
    // 12 s at 1,000,000 samples/s, 6,000,000 samples not called at the end: 6 s behind in 12 s, 30 min per hour.
    const rate = liveRate(speed({ speed: 10, samples_written: 12_000_000, samples_called_by_end: 6_000_000, fell_behind: true }));
    expect(rate).toMatchObject({ verdict: "falls behind", offeredSamplesPerS: 1_000_000, behindMinutesPerHour: 30 });
  });

  it("does not call a run with a file set aside or left uncalled a run that kept up", () => {
    expect(liveRate(speed({ files_set_aside: 1 })).verdict).toBe("falls behind");
    expect(liveRate(speed({ files: 5 })).verdict).toBe("falls behind");
  });
});

describe("live report read back", () => {
  const report = { model: "rodan", engine: "onnxruntime", precision: "fp32", duration_s: 12, reads_per_file: 2, backlog_window_s: 3, speeds: [speed(), speed({ speed: 2 })] };

  it("turns the runner's figures into verdicts, per speed asked for", () => {
    const parsed = parseLiveConfigMap({ [LIVE_KEY]: JSON.stringify(report) }, "cm", [0.5, 2], "run1");
    expect(parsed).toMatchObject({ status: "measured", runId: "run1", engine: "onnxruntime", durationS: 12 });
    expect(parsed.status === "measured" ? parsed.rates.map((r) => [r.speed, r.verdict]) : []).toEqual([[0.5, "keeps up"], [2, "keeps up"]]);
  });

  it("names the ConfigMap and what is wrong otherwise", () => {
    expect(() => parseLiveConfigMap({}, "cm", [0.5, 2], "run1")).toThrow("ConfigMap cm has no live.json; see the live container's log of its Job");
    expect(() => parseLiveConfigMap({ [LIVE_KEY]: "{" }, "cm", [0.5, 2], "run1")).toThrow("ConfigMap cm: live.json is not JSON");
    expect(() => parseLiveConfigMap({ [LIVE_KEY]: JSON.stringify({ ...report, speeds: [speed({ files: -1 })] }) }, "cm", [0.5], "run1")).toThrow(
      /^ConfigMap cm: live\.json field speeds\.0\.files: /,
    );
    expect(() => parseLiveConfigMap({ [LIVE_KEY]: JSON.stringify(report) }, "cm", [1], "run1")).toThrow("ConfigMap cm: live.json has speeds 0.5,2, the benchmark asks for 1");
  });
});
