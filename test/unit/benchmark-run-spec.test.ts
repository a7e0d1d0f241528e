import * as path from "path";
import { describe, expect, it } from "vitest";
import {
  BENCH_ROLE_RULES,
  BenchmarkPodSettings,
  CONTAINER_ORDER,
  JOB_LABEL,
  benchmarkConfigSchema,
  benchmarkJob,
  benchmarkJobName,
  datasetId,
  parseManifest,
  planDataset,
  resultConfigMapName,
  scalingJob,
  selectReads,
  shardReads,
  stageDatasetStep,
} from "../../components/benchmark-run";
import { podSettings } from "./helpers/pod-settings";
import { engineFor, precisionFor } from "../../domain/models";

const sha = (digit: string) => digit.repeat(64);

const settings: BenchmarkPodSettings = podSettings();

describe("benchmark Job spec", () => {
  const { name, spec, resultNames } = benchmarkJob(settings, 2);
  const pod = spec.template.spec;

  it("runs converter, telemetry sidecar and runner as init containers, then evaluate", () => {
    expect(pod.initContainers.map((c) => c.name)).toEqual([...CONTAINER_ORDER.init]);
    expect(pod.containers.map((c) => c.name)).toEqual([...CONTAINER_ORDER.main]);
  });

  it("makes telemetry a native sidecar and no other container", () => {
    const [converter, telemetry, runner] = pod.initContainers;
    expect(telemetry.restartPolicy).toBe("Always");
    expect(converter.restartPolicy).toBeUndefined();
    expect(runner.restartPolicy).toBeUndefined();
    expect(telemetry.command).toEqual(["edgecall", "telemetry", "record", "--out", "/work/telemetry.jsonl"]);
    // The runner's idle baseline waits for the first sample.
    expect(telemetry.startupProbe?.exec.command).toEqual(["test", "-s", "/work/telemetry.jsonl"]);
    expect(telemetry.securityContext?.privileged).toBeUndefined();
    const privileged = benchmarkJob({ ...settings, telemetryPrivileged: true }, 0).spec.template.spec.initContainers[1];
    expect(privileged.securityContext).toEqual({ privileged: true });
  });

  it("pins the pod to the model's boards and runs it again only when it was killed", () => {
    expect(pod.nodeSelector).toEqual({ "edgecall.io/model-chiron": "true" });
    // One more try after a pod killed by a signal (137, 143); any other exit fails the Job at once.
    expect(spec.backoffLimit).toBe(1);
    expect(spec.podFailurePolicy).toEqual({ rules: [{ action: "FailJob", onExitCodes: { operator: "NotIn", values: [137, 143] } }] });
    expect(spec.activeDeadlineSeconds).toBe(1800);
    expect(pod.restartPolicy).toBe("Never");
    expect(pod.serviceAccountName).toBe("edgecall-bench");
  });

  it("gives only the runner the GPU, with the runtime class when there is one", () => {
    const [converter, telemetry, runner] = pod.initContainers;
    expect(runner.resources?.limits).toEqual({ "nvidia.com/gpu": "1" });
    expect(converter.resources).toBeUndefined();
    expect(telemetry.resources).toBeUndefined();
    expect(pod.runtimeClassName).toBe("edgecall-nvidia");
    expect(benchmarkJob({ ...settings, runtimeClassName: undefined }, 0).spec.template.spec).not.toHaveProperty("runtimeClassName");
    // Without a device plugin (simulated boards) nothing offers nvidia.com/gpu: asking would never schedule.
    const unrequested = benchmarkJob({ ...settings, gpuRequest: false }, 0).spec.template.spec.initContainers[2];
    expect(unrequested.resources).toBeUndefined();
    expect(runner.command).toEqual([
      "edgecall-runner", "batch", "--model", settings.model, "--input", "/work/input", "--output", "/work/run",
      "--batch-size", "4", "--precision", "fp32", "--engine", "torch", "--warmup", "10", "--idle-baseline-s", "30",
    ]);
  });

  it("runs the runner on the model's engine, making it in the pod's workspace; a model asked for int8 on torch runs fp32", () => {
    const onnx = benchmarkJob({ ...settings, model: "rodan", engine: "onnxruntime", precision: "int8" }, 0).spec.template.spec.initContainers[2];
    expect(onnx.command?.slice(onnx.command.indexOf("--precision"), onnx.command.indexOf("--precision") + 4)).toEqual(["--precision", "int8", "--engine", "onnxruntime"]);
    expect(onnx.env).toContainEqual({ name: "EDGECALL_ENGINE_CACHE", value: "/work/engines" });
    const torch = pod.initContainers[2];
    expect(torch.env?.some((e: { name: string }) => e.name === "EDGECALL_ENGINE_CACHE")).toBe(false);
    expect(engineFor("rodan", "torch", { rodan: "onnxruntime" })).toBe("onnxruntime");
    expect(engineFor("catcaller", "onnxruntime")).toBe("torch");
    expect(engineFor("sacall", "tensorrt")).toBe("tensorrt");
    expect(precisionFor("rodan", "int8", "onnxruntime")).toBe("int8");
    expect(precisionFor("sacall", "int8", "torch")).toBe("fp32");
    expect(precisionFor("chiron", "fp16", "torch")).toBe("fp32");
  });

  it("mounts the staged dataset read-only from the host and converts into the shared workspace", () => {
    expect(pod.volumes.find((v) => v.name === "dataset")?.hostPath).toEqual({ path: `/var/lib/edgecall-data/${sha("d")}`, type: "Directory" });
    expect(pod.volumes.find((v) => v.name === "workspace")?.emptyDir).toEqual({});
    const converter = pod.initContainers[0];
    expect(converter.volumeMounts).toContainEqual({ name: "dataset", mountPath: "/dataset", readOnly: true });
    expect(converter.command).toEqual([
      "edgecall-convert", "--manifest", "/manifests/reads.tsv", "--input", "/dataset", "--output", "/work/input", "--model", "chiron",
    ]);
  });

  it("tells evaluate the reference, the result ConfigMap and the metrics secret", () => {
    const env = pod.containers[0].env ?? [];
    const value = (key: string) => env.find((e) => e.name === key);
    expect(value("EDGECALL_REFERENCE")?.value).toBe("/dataset/reference/lambda.fa");
    expect(value("EDGECALL_RESULT_NAME")?.value).toBe("edgecall-result-chiron-lab-2024-05-2");
    expect(resultNames).toEqual(["edgecall-result-chiron-lab-2024-05-2"]);
    expect(value("EDGECALL_METRICS_URL")).toBeUndefined();
    const withDb = benchmarkJob({ ...settings, metricsUrlSecret: { name: "metrics", key: "url" } }, 0).spec.template.spec.containers[0].env;
    expect(withDb).toContainEqual({ name: "EDGECALL_METRICS_URL", valueFrom: { secretKeyRef: { name: "metrics", key: "url" } } });
    expect(value("EDGECALL_REPEAT")?.value).toBe("2");
  });

  it("keeps the run directory on the board only when asked, under the run id and result name", () => {
    expect(JSON.stringify(pod)).not.toContain("/runs");
    const kept = benchmarkJob({ ...settings, keepRuns: true }, 0).spec.template.spec;
    expect(kept.volumes).toContainEqual({ name: "runs", hostPath: { path: "/var/lib/edgecall-data/runs", type: "Directory" } });
    const evaluate = kept.containers[0];
    expect(evaluate.volumeMounts).toContainEqual({ name: "runs", mountPath: "/runs" });
    expect(evaluate.env).toContainEqual({ name: "EDGECALL_KEEP_RUN", value: `/runs/${settings.runId}/edgecall-result-chiron-lab-2024-05-0` });
    expect(kept.initContainers.every((c) => !JSON.stringify(c).includes("/runs"))).toBe(true);
  });

  it("hands the summary the provenance only the cluster knows, and leaves out what is unknown", () => {
    const names = (s: typeof settings) => (benchmarkJob(s, 0).spec.template.spec.containers[0].env ?? []).map((e) => e.name);
    expect(names(settings).filter((n) => /IMAGE_DIGEST|L4T|POWER|CLOCKS/.test(n))).toEqual([]);
    const digest = `sha256:${"cd".repeat(32)}`;
    const env = benchmarkJob({ ...settings, provenance: { imageDigest: digest, l4tRelease: "R36.3.0", powerMode: "0 (MAXN)", jetsonClocks: false } }, 0)
      .spec.template.spec.containers[0].env;
    expect(env).toEqual(
      expect.arrayContaining([
        { name: "EDGECALL_IMAGE_DIGEST", value: digest },
        { name: "EDGECALL_L4T_RELEASE", value: "R36.3.0" },
        { name: "EDGECALL_POWER_MODE", value: "0 (MAXN)" },
        { name: "EDGECALL_JETSON_CLOCKS", value: "false" },
      ]),
    );
    expect(names({ ...settings, provenance: { l4tRelease: "R32.7.1" } }).filter((n) => /IMAGE_DIGEST|L4T|POWER|CLOCKS/.test(n))).toEqual(["EDGECALL_L4T_RELEASE"]);
  });

  it("names the Job after the model, a hash of the run id and the repeat", () => {
    expect(name).toMatch(/^edgecall-chiron-[0-9a-f]{8}-r2$/);
    expect(benchmarkJobName("chiron", "lab-2024-05", 2)).toBe(name);
    expect(benchmarkJobName("chiron", "lab-2024-06", 2)).not.toBe(name);
    expect(benchmarkJobName("catcaller", "a".repeat(20), 19).length).toBeLessThanOrEqual(63);
    expect(resultConfigMapName("rodan", "run1", 0)).toBe("edgecall-result-rodan-run1-0");
  });
});

describe("scaling Job spec", () => {
  const nodes = ["nano-1", "nano-2", "nano-3", "nano-4"];
  const { name, spec, resultNames } = scalingJob(settings, 3, nodes);
  const pod = spec.template.spec;

  it("is an Indexed Job running one shard per board, all at once", () => {
    expect(spec.completionMode).toBe("Indexed");
    expect(spec.completions).toBe(3);
    expect(spec.parallelism).toBe(3);
    expect(spec.backoffLimit).toBe(1);
    expect(spec.podFailurePolicy?.rules).toHaveLength(1);
    expect(pod.initContainers[0].command).toContain("/manifests/shard-3-$(JOB_COMPLETION_INDEX).tsv");
    expect(resultNames).toEqual([0, 1, 2].map((i) => `edgecall-scaling-chiron-lab-2024-05-n3-${i}`));
  });

  it("spreads its pods one per board among the chosen boards", () => {
    const sameJob = { matchLabels: { [JOB_LABEL]: name } };
    expect(spec.template.metadata.labels[JOB_LABEL]).toBe(name);
    expect(pod.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
      { topologyKey: "kubernetes.io/hostname", labelSelector: sameJob },
    ]);
    expect(pod.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule", labelSelector: sameJob },
    ]);
    const terms = pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    expect(terms).toEqual([{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: nodes }] }]);
    // Scaling boards need not carry the model's label, so the model selector must not be set.
    expect(pod.nodeSelector).toBeUndefined();
  });

  it("refuses more boards than it is given", () => {
    expect(() => scalingJob(settings, 5, nodes)).toThrow(/needs 5 boards, only 4 are given/);
  });
});

describe("benchmark RBAC", () => {
  it("allows writing ConfigMaps and nothing else", () => {
    expect(BENCH_ROLE_RULES).toEqual([{ apiGroups: [""], resources: ["configmaps"], verbs: ["create", "get", "update", "patch"] }]);
  });
});

describe("dataset manifest", () => {
  const manifest = `file\tsha256\nreads/a.fast5\t${sha("a")}\nreads/b.fast5\t${sha("B")}\nreference/lambda.fa\t${sha("c")}\nreads/c.fast5\t${sha("e")}\n`;

  it("parses TSV lines after an optional header, lowercasing hashes", () => {
    const entries = parseManifest(manifest, "m.tsv");
    expect(entries.map((e) => e.file)).toEqual(["reads/a.fast5", "reads/b.fast5", "reference/lambda.fa", "reads/c.fast5"]);
    expect(entries[1].sha256).toBe(sha("b"));
  });

  it("names the file and line of a bad entry", () => {
    expect(() => parseManifest(`a.fast5\tnothex\n`, "m.tsv")).toThrow(/^m\.tsv line 1: "nothex" is not a sha256/);
    expect(() => parseManifest(`a.fast5\t${sha("a")}\n../etc/passwd\t${sha("a")}\n`, "m.tsv")).toThrow(/m\.tsv line 2: .* must be a path inside the dataset/);
    expect(() => parseManifest(`a.fast5 ${sha("a")}\n`, "m.tsv")).toThrow(/line 1: expected two tab-separated columns/);
    expect(() => parseManifest(`a\t${sha("a")}\na\t${sha("b")}\n`, "m.tsv")).toThrow(/line 2: a is listed twice/);
    expect(() => parseManifest("file\tsha256\n", "m.tsv")).toThrow(/lists no files/);
  });

  it("measures the reads besides the reference, the first readCount of them", () => {
    const entries = parseManifest(manifest, "m.tsv");
    expect(selectReads(entries, "reference/lambda.fa").map((e) => e.file)).toEqual(["reads/a.fast5", "reads/b.fast5", "reads/c.fast5"]);
    expect(selectReads(entries, "reference/lambda.fa", 2).map((e) => e.file)).toEqual(["reads/a.fast5", "reads/b.fast5"]);
    expect(() => selectReads(entries, "ref.fa")).toThrow(/benchmark\.reference ref\.fa is not listed/);
    expect(() => selectReads(entries, "reference/lambda.fa", 4)).toThrow(/benchmark\.readCount 4 is more than the 3 read files/);
  });

  it("deals reads round-robin into shards that differ by at most one", () => {
    const shards = shardReads([1, 2, 3, 4, 5, 6, 7], 3);
    expect(shards).toEqual([[1, 4, 7], [2, 5], [3, 6]]);
    expect(shards.flat().sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(() => shardReads([1, 2], 3)).toThrow(/cannot split 2 reads into 3 shards/);
  });

  it("plans the read manifests of every board count and names the dataset by the manifest's hash", () => {
    const plan = planDataset(manifest, "m.tsv", "reference/lambda.fa", undefined, 2);
    expect(plan.datasetId).toBe(datasetId(manifest));
    expect(plan.datasetId).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(plan.manifests).sort()).toEqual(["reads.tsv", "shard-1-0.tsv", "shard-2-0.tsv", "shard-2-1.tsv"]);
    expect(plan.manifests["shard-2-1.tsv"]).toBe(`file\tsha256\nreads/b.fast5\t${sha("b")}\n`);
    expect(plan.manifests["reads.tsv"]).not.toContain("lambda.fa");
    expect(Object.keys(planDataset(manifest, "m.tsv", "reference/lambda.fa").manifests)).toEqual(["reads.tsv"]);
  });
});

describe("dataset staging step", () => {
  it("passes the dataset id, staging directory and source to the script", () => {
    const local = stageDatasetStep(sha("f"), { kind: "path", dir: "/data/klebsiella/" });
    expect(local.env).toEqual({
      EDGECALL_DATASET_ID: sha("f"),
      EDGECALL_DATA_ROOT: "/var/lib/edgecall-data",
      EDGECALL_STAGING_DIR: `/var/tmp/edgecall-staging-${"f".repeat(16)}`,
    });
    expect(path.basename(local.scriptPath)).toBe("stage-dataset.sh");
    const remote = stageDatasetStep(sha("f"), { kind: "url", url: "https://data.example/reads" });
    expect(remote.env.EDGECALL_DATASET_URL).toBe("https://data.example/reads");
    expect(Object.keys(remote.env).sort()).toEqual(["EDGECALL_DATASET_ID", "EDGECALL_DATASET_URL", "EDGECALL_DATA_ROOT", "EDGECALL_STAGING_DIR"]);
  });
});

describe("benchmark config sub-schema", () => {
  const minimal = { dataset: { path: "data", manifest: "data/manifest.tsv" }, reference: "lambda.fa" };

  it("fills the defaults", () => {
    const parsed = benchmarkConfigSchema.parse(minimal);
    expect(parsed).toMatchObject({ warmup: 10, repeats: 1, batchSize: 8, runId: "run1", timeoutSeconds: 3600, idleBaselineSeconds: 30 });
    expect(parsed.scaling).toBeUndefined();
  });

  it("wants exactly one dataset source and a DNS-safe run id", () => {
    const both = benchmarkConfigSchema.safeParse({ ...minimal, dataset: { path: "d", url: "https://x/y", manifest: "m" } });
    expect(both.success).toBe(false);
    expect(both.error?.issues[0].message).toMatch(/exactly one of dataset\.path .* or dataset\.url/);
    const badRun = benchmarkConfigSchema.safeParse({ ...minimal, runId: "Run_1" });
    expect(badRun.error?.issues[0].path).toEqual(["runId"]);
    const badModel = benchmarkConfigSchema.safeParse({ ...minimal, batchSizes: { guppy: 4 } });
    expect(badModel.success).toBe(false);
    const scaling = benchmarkConfigSchema.parse({ ...minimal, scaling: { model: "chiron", maxBoards: 4 } });
    expect(scaling.scaling).toEqual({ model: "chiron", maxBoards: 4 });
  });
});
