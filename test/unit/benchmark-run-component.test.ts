import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BenchmarkRunArgs, ModelBenchmark, ScalingResult } from "../../components/benchmark-run";
import { type BenchmarkConfig, benchmarkConfigSchema } from "../../components/benchmark-run/config";
import { RecordedResource, recordResources, valueOf } from "./helpers/pulumi-mocks";
import { stepEnv } from "./helpers/stack-graph";

const sha = (digit: string) => digit.repeat(64);
const manifestText = `file\tsha256\nreads/r1.fast5\t${sha("1")}\nreads/r2.fast5\t${sha("2")}\nreads/r3.fast5\t${sha("3")}\nlambda.fa\t${sha("4")}\n`;

describe("BenchmarkRun under Pulumi mocks, rendering manifests only", () => {
  let recorded: RecordedResource[];
  let tmp: string;
  let outputs: { benchmarks: Record<string, ModelBenchmark>; scaling: Record<string, ScalingResult> };
  let errors: Record<string, string>;

  beforeAll(async () => {
    recorded = await recordResources("bench");
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-bench-"));
    fs.mkdirSync(path.join(tmp, "data"));
    fs.writeFileSync(path.join(tmp, "manifest.tsv"), manifestText);
    const { BenchmarkRun } = await import("../../components/benchmark-run");
    const k8s = await import("@pulumi/kubernetes");
    const provider = new k8s.Provider("render", { renderYamlToDirectory: path.join(tmp, "rendered") });
    const board = (nodeName: string, models: BenchmarkRunArgs["boards"][number]["models"]) => ({
      nodeName,
      models,
      connection: { host: `${nodeName}.lan`, port: 22, user: "jetson", privateKey: "key", dialErrorLimit: 3, perDialTimeout: 10 },
    });
    const config: BenchmarkConfig = benchmarkConfigSchema.parse({
      dataset: { path: "data", manifest: "manifest.tsv" },
      reference: "lambda.fa",
      warmup: 5,
      repeats: 2,
      batchSize: 8,
      batchSizes: { rodan: 2 },
      precision: "fp16",
      idleBaselineSeconds: 20,
      runId: "first",
      timeoutSeconds: 600,
      scaling: { model: "chiron", maxBoards: 2 },
    });
    const withConfig = (change: Partial<BenchmarkConfig>): BenchmarkConfig => ({ ...config, ...change });
    const args: BenchmarkRunArgs = {
      provider,
      boards: [board("nano-1", ["chiron"]), board("nano-2", ["rodan"]), board("nano-3", []), board("nano-4", [])],
      images: { models: { chiron: "reg/chiron:1", rodan: "reg/rodan:1" }, converter: "reg/converter:1", tools: "reg/tools:1" },
      config,
      baseDir: tmp,
      runtimeClassName: "edgecall-nvidia",
      readResults: false,
    };
    const run = new BenchmarkRun("bench", args);
    new BenchmarkRun("bench-same", { ...args, config: withConfig({ scaling: undefined }) });
    new BenchmarkRun("bench-next", { ...args, config: withConfig({ runId: "second", scaling: undefined }) });
    new BenchmarkRun("bench-packed", { ...args, boards: [board("orin-1", ["chiron", "rodan"])], config: withConfig({ scaling: undefined, runId: "packed" }) });
    outputs = { benchmarks: await valueOf(run.benchmarks), scaling: await valueOf(run.scaling) };

    errors = {};
    const attempt = (label: string, change: Partial<BenchmarkRunArgs>) => {
      try {
        new BenchmarkRun(`bad-${label}`, { ...args, ...change });
      } catch (error) {
        errors[label] = (error as Error).message;
      }
    };
    // The config's own checks (benchmarkProblems, in the config tests) ran before any component;
    // what the component still meets is a manifest that changed since, reported by the plan.
    attempt("reference", { config: withConfig({ reference: "other.fa" }) });
    // Let the engine register every resource before the assertions read `recorded`.
    await new Promise((resolve) => setTimeout(resolve, 200));
  });

  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const ofType = (type: string) => recorded.filter((r) => r.type === type);
  const jobsOf = (component: string) =>
    ofType("kubernetes:batch/v1:Job").filter((r) => r.name.startsWith(`${component}-edgecall-`) && !r.name.startsWith(`${component}-edgecall-scale`));
  const jobName = (r: RecordedResource) => (r.inputs.metadata as { name: string }).name;
  const byName = (name: string) => {
    const found = recorded.find((r) => r.name === name);
    if (found === undefined) throw new Error(`no resource ${name}; have ${recorded.map((r) => r.name).join(", ")}`);
    return found;
  };

  it("says every model was not measured, naming the rendered Jobs", () => {
    expect(outputs.benchmarks).toEqual({
      chiron: { status: "not measured: rendered only", runId: "first", jobs: jobsOf("bench").filter((j) => jobName(j).includes("chiron")).map(jobName) },
      rodan: { status: "not measured: rendered only", runId: "first", jobs: jobsOf("bench").filter((j) => jobName(j).includes("rodan")).map(jobName) },
    });
    expect(outputs.scaling.chiron.status).toBe("not measured: rendered only");
    expect(ofType("kubernetes:core/v1:ConfigMap").filter((r) => r.name.includes("edgecall-result"))).toEqual([]);
  });

  it("creates a Job per model and repeat in the benchmark namespace, repeats one after another", () => {
    const jobs = jobsOf("bench");
    expect(jobs.map(jobName).sort()).toEqual([
      expect.stringMatching(/^edgecall-chiron-[0-9a-f]{8}-r0$/),
      expect.stringMatching(/^edgecall-chiron-[0-9a-f]{8}-r1$/),
      expect.stringMatching(/^edgecall-rodan-[0-9a-f]{8}-r0$/),
      expect.stringMatching(/^edgecall-rodan-[0-9a-f]{8}-r1$/),
    ]);
    for (const job of jobs) expect((job.inputs.metadata as { namespace: string }).namespace).toBe("edgecall-bench");
    const chiron = jobs.filter((j) => jobName(j).includes("chiron")).sort((a, b) => jobName(a).localeCompare(jobName(b)));
    expect(chiron[1].dependencies).toContain(chiron[0].urn);
    const spec = (jobs.find((j) => jobName(j).includes("rodan"))?.inputs.spec ?? {}) as {
      template: { spec: { initContainers: { image: string; command: string[] }[]; nodeSelector: Record<string, string> } };
    };
    expect(spec.template.spec.nodeSelector).toEqual({ "edgecall.io/model-rodan": "true" });
    const runner = spec.template.spec.initContainers[2];
    expect(runner.image).toBe("reg/rodan:1");
    const batch = runner.command.indexOf("--batch-size");
    expect(runner.command.slice(batch, batch + 2)).toEqual(["--batch-size", "2"]);
    // fp16 is asked for: RODAN (PyTorch) gets it, Chiron (TensorFlow) stays fp32.
    const precisionOf = (model: string) => {
      const job = jobs.find((j) => jobName(j).includes(model))?.inputs.spec as { template: { spec: { initContainers: { command: string[] }[] } } };
      const command = job.template.spec.initContainers[2].command;
      return command[command.indexOf("--precision") + 1];
    };
    expect([precisionOf("rodan"), precisionOf("chiron")]).toEqual(["fp16", "fp32"]);
  });

  it("runs the models of a packed board one after another, and those of separate boards side by side", () => {
    const sorted = (component: string, model: string) =>
      jobsOf(component).filter((j) => jobName(j).includes(`-${model}-`)).sort((a, b) => jobName(a).localeCompare(jobName(b)));
    const [packedChiron, packedRodan] = [sorted("bench-packed", "chiron"), sorted("bench-packed", "rodan")];
    expect(packedChiron).toHaveLength(2);
    expect(packedRodan[0].dependencies).toContain(packedChiron[1].urn);
    const [chiron, rodan] = [sorted("bench", "chiron"), sorted("bench", "rodan")];
    for (const job of chiron) expect(rodan[0].dependencies).not.toContain(job.urn);
  });

  it("stages the dataset on the boards that run a model or take part in scaling, before their Jobs", () => {
    const steps = ofType("edgecall:host:Step").filter((r) => /^bench-nano-\d-dataset$/.test(r.name));
    expect(steps.map((s) => s.name).sort()).toEqual(["bench-nano-1-dataset", "bench-nano-2-dataset"]);
    const chironJob = jobsOf("bench").find((j) => jobName(j).startsWith("edgecall-chiron-") && jobName(j).endsWith("-r0"));
    expect(chironJob?.dependencies).toContain(byName("bench-nano-1-dataset").urn);
    expect(chironJob?.dependencies).not.toContain(byName("bench-nano-2-dataset").urn);
    const uploads = byName("bench-nano-1-dataset").inputs.uploads as { dir: string; files: Array<{ source: string; target: string; sha256: string }> };
    expect(uploads.dir).toMatch(/^\/var\/tmp\/edgecall-staging-[0-9a-f]{16}$/);
    expect(uploads.files[0]).toMatchObject({ target: "manifest.tsv", sha256: stepEnv(byName("bench-nano-1-dataset")).EDGECALL_DATASET_ID });
    expect(uploads.files.slice(1).every((f) => f.target.startsWith("data/") && /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
    expect(byName("bench-nano-1-dataset").inputs.undoable).toBe(true);
  });

  it("lets the Jobs' service account write ConfigMaps in its own namespace only", () => {
    expect(recorded.filter((r) => /ClusterRole/.test(r.type))).toEqual([]);
    const role = byName("bench-role");
    expect(role.type).toBe("kubernetes:rbac.authorization.k8s.io/v1:Role");
    expect(role.inputs.metadata).toMatchObject({ namespace: "edgecall-bench" });
    expect(role.inputs.rules).toEqual([{ apiGroups: [""], resources: ["configmaps"], verbs: ["create", "get", "update", "patch"] }]);
    const binding = byName("bench-role-binding");
    expect(binding.inputs.subjects).toEqual([{ kind: "ServiceAccount", name: "edgecall-bench", namespace: "edgecall-bench" }]);
    expect(binding.inputs.roleRef).toMatchObject({ kind: "Role", name: "edgecall-bench" });
  });

  it("runs the scaling Jobs one board count at a time, after every model Job", () => {
    const scaling = ofType("kubernetes:batch/v1:Job").filter((r) => r.name.startsWith("bench-edgecall-scale"));
    expect(scaling.map(jobName)).toEqual([expect.stringMatching(/-n1$/), expect.stringMatching(/-n2$/)]);
    for (const modelJob of jobsOf("bench")) expect(scaling[0].dependencies).toContain(modelJob.urn);
    expect(scaling[1].dependencies).toContain(scaling[0].urn);
    const reads = byName("bench-reads");
    expect(Object.keys(reads.inputs.data as object).sort()).toEqual(["reads.tsv", "shard-1-0.tsv", "shard-2-0.tsv", "shard-2-1.tsv"]);
  });

  it("keeps Job names for the same run id and changes them for a new one", () => {
    const names = (component: string) => jobsOf(component).map(jobName).sort();
    const specs = (component: string) => jobsOf(component).map((j) => JSON.stringify(j.inputs.spec)).sort();
    expect(names("bench-same")).toEqual(names("bench"));
    expect(specs("bench-same")).toEqual(specs("bench"));
    const next = names("bench-next");
    expect(next).toHaveLength(4);
    for (const name of next) expect(names("bench")).not.toContain(name);
  });

  it("puts each workload's Jobs in a component of its own under the run: benchmark, then scaling", () => {
    const typeChain = (r: RecordedResource) => r.urn.split("::")[2];
    const benchmarkJobs = jobsOf("bench");
    expect(benchmarkJobs.length).toBeGreaterThan(0);
    // A URN names its parent's type before its own.
    for (const job of benchmarkJobs) expect(typeChain(job)).toBe("edgecall:benchmark:BenchmarkJobs$kubernetes:batch/v1:Job");
    const scaling = ofType("kubernetes:batch/v1:Job").filter((r) => r.name.startsWith("bench-edgecall-scale"));
    expect(scaling.length).toBe(2);
    for (const job of scaling) expect(typeChain(job)).toBe("edgecall:benchmark:ScalingJobs$kubernetes:batch/v1:Job");
    const workload = byName("bench-benchmark");
    expect(typeChain(workload)).toBe("edgecall:benchmark:BenchmarkRun$edgecall:benchmark:BenchmarkJobs");
    expect(typeChain(byName("bench-scaling"))).toBe("edgecall:benchmark:BenchmarkRun$edgecall:benchmark:ScalingJobs");
  });

  it("reports a manifest that no longer plans in one line naming the field", () => {
    expect(Object.keys(errors)).toEqual(["reference"]);
    expect(errors.reference).toMatch(/^benchmark\.reference other\.fa is not listed/);
    expect(errors.reference).not.toContain("\n");
  });
});
