import { describe, expect, it } from "vitest";
import { BenchmarkPodSettings, LOAD_KEY, loadJob, loadJobName, parseLoadConfigMap } from "../../components/benchmark-run";
import { podSettings } from "./helpers/pod-settings";

const settings: BenchmarkPodSettings = podSettings({ model: "rodan", modelImage: "registry.local/rodan@sha256:1234" });
const target = "http://edgecall-rodan.edgecall.svc.cluster.local:8080";

function level(concurrency: number) {
  return {
    concurrency,
    requests: 48,
    succeeded: 48,
    errors: {},
    seconds: 12.5,
    reads_per_s: 3.84,
    bases_per_s: 18000,
    latency_mean_s: 0.3,
    latency_p50_s: 0.28,
    latency_p95_s: 0.5,
    latency_p99_s: 0.61,
  };
}

describe("load Job", () => {
  const named = loadJob(settings, { target, concurrency: [1, 2, 4], requestTimeoutSeconds: 300 });
  const pod = named.spec.template.spec;

  it("stages the reads on the model's board, then runs loadgen from the tools image without a GPU", () => {
    expect(named.name).toBe(loadJobName("rodan", "lab-2024-05"));
    expect(named.resultNames).toEqual(["edgecall-load-rodan-lab-2024-05"]);
    expect(pod.nodeSelector).toEqual({ "edgecall.io/model-rodan": "true" });
    expect(pod.initContainers?.map((c) => c.name)).toEqual(["converter"]);
    expect(pod.initContainers?.[0].command).toContain("/work/input");
    expect(pod.containers.map((c) => [c.name, c.image])).toEqual([["loadgen", "registry.local/tools:1"]]);
    expect(pod.runtimeClassName).toBeUndefined();
    expect(JSON.stringify(pod)).not.toContain("nvidia.com/gpu");
    expect(named.spec.backoffLimit).toBe(1);
    expect(named.spec.podFailurePolicy?.rules[0]).toMatchObject({ action: "FailJob", onExitCodes: { operator: "NotIn" } });
    expect(named.spec.activeDeadlineSeconds).toBe(1800);
  });

  it("tells loadgen the service, the levels, the manifest and where to publish", () => {
    const env = Object.fromEntries((pod.containers[0].env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({
      EDGECALL_TARGET: target,
      EDGECALL_CONCURRENCY: "1,2,4",
      EDGECALL_MANIFEST: "/work/input/load.jsonl",
      EDGECALL_TIMEOUT_S: "300",
      EDGECALL_RESULT_NAME: "edgecall-load-rodan-lab-2024-05",
    });
    expect(pod.containers[0].command).toEqual(["sh", "/scripts/loadgen.sh"]);
  });

  it("refuses a load Job without concurrency levels", () => {
    expect(() => loadJob(settings, { target, concurrency: [], requestTimeoutSeconds: 300 })).toThrow("the load Job of rodan needs at least one concurrency level");
  });
});

describe("load report read back", () => {
  const report = { target, levels: [level(1), level(2)] };

  it("takes a report with the levels asked for", () => {
    expect(parseLoadConfigMap({ [LOAD_KEY]: JSON.stringify(report) }, "cm", [1, 2])).toEqual(report);
  });

  it("names the ConfigMap and what is wrong otherwise", () => {
    expect(() => parseLoadConfigMap({}, "cm", [1, 2])).toThrow("ConfigMap cm has no load.json; see the loadgen container's log of its Job");
    expect(() => parseLoadConfigMap({ [LOAD_KEY]: "{" }, "cm", [1, 2])).toThrow("ConfigMap cm: load.json is not JSON");
    expect(() => parseLoadConfigMap({ [LOAD_KEY]: JSON.stringify({ target, levels: [{ ...level(1), succeeded: -1 }] }) }, "cm", [1])).toThrow(
      /^ConfigMap cm: load\.json field levels\.0\.succeeded: /,
    );
    expect(() => parseLoadConfigMap({ [LOAD_KEY]: JSON.stringify(report) }, "cm", [1, 2, 4])).toThrow(
      "ConfigMap cm: load.json has concurrency levels 1,2, the benchmark asks for 1,2,4",
    );
  });
});
