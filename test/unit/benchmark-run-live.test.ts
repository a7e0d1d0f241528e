import { describe, expect, it } from "vitest";
import { LIVE_KEY, LiveSettings, READ_UNTIL_KEY, liveDeadlineSeconds, liveJob, liveJobName, parseLiveConfigMap, parseReadUntilConfigMap, readUntilJob } from "../../components/benchmark-run";
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

describe("read-until Job", () => {
  const settings = { channels: [64, 512], chunkSeconds: 0.4, rounds: 10, inTimeShare: 0.95 };
  const named = readUntilJob(podSettings({ model: "rodan" }), "http://edgecall-rodan.edgecall.svc.cluster.local:8080", settings, 5000);
  const pod = named.spec.template.spec;

  it("stages the reads, then loads the model's service from the tools image with the flow cell's rate, no GPU", () => {
    expect(named.resultNames).toEqual(["edgecall-ru-rodan-lab-2024-05"]);
    expect(pod.nodeSelector).toEqual({ "edgecall.io/model-rodan": "true" });
    expect(pod.initContainers?.map((c) => c.name)).toEqual(["converter"]);
    expect(pod.containers.map((c) => [c.name, c.command])).toEqual([["read-until", ["sh", "/scripts/read-until.sh"]]]);
    const env = Object.fromEntries((pod.containers[0].env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({
      EDGECALL_TARGET: "http://edgecall-rodan.edgecall.svc.cluster.local:8080",
      EDGECALL_MANIFEST: "/work/input/load.jsonl",
      EDGECALL_CHANNELS: "64,512",
      EDGECALL_CHUNK_S: "0.4",
      EDGECALL_SAMPLE_RATE_HZ: "5000",
      EDGECALL_ROUNDS: "10",
      EDGECALL_IN_TIME: "0.95",
      EDGECALL_RESULT_NAME: "edgecall-ru-rodan-lab-2024-05",
    });
    expect(JSON.stringify(pod)).not.toContain("nvidia.com/gpu");
  });

  it("reads back the largest channel count served, refusing a report of other counts", () => {
    const level = (channels: number, share: number) => ({ channels, chunks: channels * 10, in_time: Math.round(channels * 10 * share), in_time_share: share, errors: {}, latency_p50_s: 0.1, latency_p95_s: 0.3 });
    const report = { target: "t", chunk_s: 0.4, sample_rate_hz: 5000, in_time_goal: 0.95, levels: [level(64, 1), level(512, 0.2)], served_channels: 64 };
    expect(parseReadUntilConfigMap({ [READ_UNTIL_KEY]: JSON.stringify(report) }, "cm", [64, 512])).toEqual({ servedChannels: 64, chunkS: 0.4, inTimeGoal: 0.95, levels: report.levels });
    expect(() => parseReadUntilConfigMap({}, "cm", [64])).toThrow("ConfigMap cm has no read-until.json; see the read-until container's log of its Job");
    expect(() => parseReadUntilConfigMap({ [READ_UNTIL_KEY]: JSON.stringify(report) }, "cm", [64])).toThrow("ConfigMap cm: read-until.json has channel counts 64,512, the benchmark asks for 64");
  });
});
