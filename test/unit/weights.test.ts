import { beforeAll, describe, expect, it } from "vitest";
import { benchmarkJob } from "../../components/benchmark-run/job-spec";
import { WEIGHTS_FILE, WeightsSource, weightsBuildArgs } from "../../components/model-image";
import { modelDeploymentSpec } from "../../components/model-service/spec";
import { weightsByModel } from "../../infra/benchmarks";
import { buildCluster } from "../../infra/cluster";
import { StackConfig, validateConfig } from "../../infra/config";
import { edgecallValues } from "../../infra/stack-file";
import { buildWorkloads } from "../../infra/workloads";
import { podSettings } from "./helpers/pod-settings";
import { PROJECT_DIR, RecordedResource, recordResources, stackConfigForMocks } from "./helpers/pulumi-mocks";

const DIGEST = "0123456789abcdef".repeat(4);
const URL_WEIGHTS: WeightsSource = { kind: "url", url: "https://weights.lab/rodan-dna.torch", sha256: DIGEST };
const PATH_WEIGHTS: WeightsSource = { kind: "path", path: "/var/lib/edgecall-weights/sacall.chkpt", sha256: DIGEST };

function validate(models: Record<string, unknown>) {
  return validateConfig(
    {
      nodes: [{ name: "solo", host: "10.0.0.5", role: "server", board: "orin", models: Object.keys(models) }],
      ssh: { privateKey: "key" },
      images: { registry: { inCluster: {} }, models },
      scheduling: { mode: "packed" },
    },
    PROJECT_DIR,
    "runtime",
  );
}

function problems(models: Record<string, unknown>): string[] {
  const result = validate(models);
  if (result.ok) throw new Error("accepted");
  return result.problems.map((p) => `${p.path}: ${p.message}`);
}

describe("images.models.<model>.weights in the config", () => {
  it("reads url weights beside a build and path weights beside a build or a prebuilt image", () => {
    const result = validate({
      rodan: { build: {}, weights: { url: URL_WEIGHTS.url, sha256: DIGEST } },
      sacall: { prebuilt: "reg/sacall:1", weights: { path: PATH_WEIGHTS.path, sha256: DIGEST } },
      catcaller: { build: {} },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.config.images?.models).toEqual({
      rodan: { kind: "build", base: undefined, upstreamCommit: undefined, weights: URL_WEIGHTS },
      sacall: { kind: "prebuilt", reference: "reg/sacall:1", weights: PATH_WEIGHTS },
      catcaller: { kind: "build", base: undefined, upstreamCommit: undefined },
    });
  });

  it("wants a sha256 as sha256sum prints it: 64 lowercase hex characters", () => {
    expect(problems({ rodan: { build: {}, weights: { url: URL_WEIGHTS.url, sha256: DIGEST.toUpperCase() } } })).toEqual([
      `images.models.rodan.weights.sha256: expected 64 lowercase hex characters (the digest sha256sum prints), got "${DIGEST.toUpperCase().slice(0, 57)}..."`,
    ]);
    expect(problems({ rodan: { build: {}, weights: { url: URL_WEIGHTS.url } } })).toEqual([
      "images.models.rodan.weights.sha256: is required: the file's sha256 (64 lowercase hex characters, as sha256sum prints it)",
    ]);
  });

  it("wants exactly one of url and path, an https URL and an absolute path", () => {
    expect(problems({ rodan: { build: {}, weights: { sha256: DIGEST } } })).toEqual([
      "images.models.rodan.weights: give exactly one of url (fetched at image build) or path (a file on the boards)",
    ]);
    expect(problems({ rodan: { build: {}, weights: { url: URL_WEIGHTS.url, path: PATH_WEIGHTS.path, sha256: DIGEST } } })).toEqual([
      "images.models.rodan.weights: give exactly one of url (fetched at image build) or path (a file on the boards)",
    ]);
    expect(problems({ rodan: { build: {}, weights: { url: "http://weights.lab/r.torch", sha256: DIGEST } } })).toEqual([
      'images.models.rodan.weights.url: expected an https:// URL, got "http://weights.lab/r.torch"',
    ]);
    expect(problems({ rodan: { build: {}, weights: { path: "weights/r.torch", sha256: DIGEST } } })).toEqual([
      'images.models.rodan.weights.path: expected an absolute path on the boards, got "weights/r.torch"',
    ]);
    expect(problems({ rodan: { build: {}, weights: { file: "/x", sha256: DIGEST } } })).toContain("images.models.rodan.weights: unknown key(s) file");
  });

  it("refuses url weights on a prebuilt image, and weights for Chiron's checkpoint directory", () => {
    expect(problems({ rodan: { prebuilt: "reg/rodan:1", weights: { url: URL_WEIGHTS.url, sha256: DIGEST } } })).toEqual([
      "images.models.rodan.weights.url: is fetched when the image is built, so it needs {build: {}}; a prebuilt image takes weights by path",
    ]);
    expect(problems({ chiron: { build: {}, weights: { path: "/w/chiron", sha256: DIGEST } } })).toEqual([
      expect.stringMatching(/^images\.models\.chiron\.weights: Chiron's weights are a TensorFlow checkpoint directory/),
    ]);
  });
});

describe("weights in the pods and the image build (pure specs)", () => {
  const weightsEnv = [
    { name: "EDGECALL_WEIGHTS", value: WEIGHTS_FILE },
    { name: "EDGECALL_WEIGHTS_SHA256", value: DIGEST },
  ];

  it("gives url weights to the build as WEIGHTS_URL and WEIGHTS_SHA256, path weights none", () => {
    expect(weightsBuildArgs(URL_WEIGHTS)).toEqual({ WEIGHTS_URL: URL_WEIGHTS.url, WEIGHTS_SHA256: DIGEST });
    expect(weightsBuildArgs(PATH_WEIGHTS)).toEqual({});
    expect(weightsBuildArgs(undefined)).toEqual({});
  });

  it("the model Deployment: env for either kind, a read-only file hostPath for path weights, nothing without", () => {
    const base = { model: "sacall" as const, image: "reg/sacall:1", replicas: 1, batchSize: 8, precision: "fp32" as const, engine: "torch" as const };
    type Pod = { volumes?: unknown[]; containers: Array<{ env: unknown[]; volumeMounts?: unknown[] }> };
    const pod = (weights?: WeightsSource) => (modelDeploymentSpec({ ...base, weights }).template as { spec: Pod }).spec;
    const withPath = pod(PATH_WEIGHTS);
    expect(withPath.volumes).toEqual([{ name: "weights", hostPath: { path: PATH_WEIGHTS.path, type: "File" } }]);
    const runner = withPath.containers[0];
    expect(runner.env).toEqual(expect.arrayContaining(weightsEnv));
    expect(runner.volumeMounts).toEqual([{ name: "weights", mountPath: WEIGHTS_FILE, readOnly: true }]);
    const withUrl = pod(URL_WEIGHTS);
    expect(withUrl).not.toHaveProperty("volumes");
    expect(withUrl.containers[0].env).toEqual(expect.arrayContaining(weightsEnv));
    const without = pod();
    expect(without).not.toHaveProperty("volumes");
    expect(JSON.stringify(without)).not.toContain("EDGECALL_WEIGHTS");
  });

  it("the benchmark Job: the runner (only) gets the env and the read-only mount", () => {
    const spec = benchmarkJob(podSettings({ model: "sacall", weights: PATH_WEIGHTS }), 0).spec.template.spec;
    expect(spec.volumes).toContainEqual({ name: "weights", hostPath: { path: PATH_WEIGHTS.path, type: "File" } });
    const runner = spec.initContainers.find((c) => c.name === "runner");
    expect(runner?.env).toEqual(expect.arrayContaining(weightsEnv));
    expect(runner?.volumeMounts).toContainEqual({ name: "weights", mountPath: WEIGHTS_FILE, readOnly: true });
    for (const other of [...spec.initContainers, ...spec.containers].filter((c) => c.name !== "runner")) {
      expect(JSON.stringify(other), other.name).not.toContain("EDGECALL_WEIGHTS");
    }
    const url = benchmarkJob(podSettings({ model: "rodan", weights: URL_WEIGHTS }), 0).spec.template.spec;
    expect(url.volumes.map((v) => v.name)).not.toContain("weights");
    expect(url.initContainers.find((c) => c.name === "runner")?.env).toEqual(expect.arrayContaining(weightsEnv));
  });
});

describe("weights through the program (the lab stack with weights, under Pulumi mocks)", () => {
  let resources: RecordedResource[];
  let config: StackConfig;

  beforeAll(async () => {
    resources = await recordResources("lab");
    const values = Object.fromEntries(
      Object.entries(stackConfigForMocks("lab")).map(([key, value]) => {
        try {
          return [key, JSON.parse(value) as unknown];
        } catch {
          return [key, value];
        }
      }),
    );
    const edgecall = edgecallValues(values).values;
    const models = (edgecall.images as { models: Record<string, unknown> }).models;
    models.rodan = { build: {}, weights: { url: URL_WEIGHTS.url, sha256: DIGEST } };
    models.sacall = { build: {}, weights: { path: PATH_WEIGHTS.path, sha256: DIGEST } };
    const result = validateConfig(edgecall, PROJECT_DIR, "runtime");
    if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
    config = result.config;
    buildWorkloads(config, buildCluster(config, PROJECT_DIR));
    await new Promise((resolve) => setTimeout(resolve, 300));
  });

  const named = (name: string) => {
    const found = resources.find((r) => r.name === name);
    if (found === undefined) throw new Error(`no ${name}`);
    return found;
  };

  it("builds RODAN with WEIGHTS_URL and WEIGHTS_SHA256, and SACall without them", () => {
    const args = (model: string) => (named(`image-${model}-image`).inputs.build as { args: Record<string, string> }).args;
    expect(args("rodan")).toMatchObject({ WEIGHTS_URL: URL_WEIGHTS.url, WEIGHTS_SHA256: DIGEST });
    expect(args("sacall")).not.toHaveProperty("WEIGHTS_URL");
    expect(args("catcaller")).not.toHaveProperty("WEIGHTS_URL");
  });

  it("mounts SACall's file into its Deployment and names the file and digest in both models' runner env", () => {
    type Spec = { template: { spec: { volumes?: unknown[]; containers: Array<{ env: unknown[]; volumeMounts?: unknown[] }> } } };
    const spec = (model: string) => (named(`service-${model}-deployment`).inputs.spec as Spec).template.spec;
    expect(spec("sacall").volumes).toEqual([{ name: "weights", hostPath: { path: PATH_WEIGHTS.path, type: "File" } }]);
    expect(spec("sacall").containers[0].volumeMounts).toEqual([{ name: "weights", mountPath: WEIGHTS_FILE, readOnly: true }]);
    for (const model of ["sacall", "rodan"]) {
      expect(spec(model).containers[0].env, model).toEqual(
        expect.arrayContaining([{ name: "EDGECALL_WEIGHTS", value: WEIGHTS_FILE }, { name: "EDGECALL_WEIGHTS_SHA256", value: DIGEST }]),
      );
    }
    expect(spec("rodan").volumes).toBeUndefined();
    expect(JSON.stringify(spec("catcaller"))).not.toContain("EDGECALL_WEIGHTS");
  });

  it("hands each model's weights, and only those, to the benchmark Jobs (infra/benchmarks.ts)", () => {
    expect(weightsByModel(config)).toEqual({ rodan: { kind: "url", url: URL_WEIGHTS.url, sha256: DIGEST }, sacall: { kind: "path", path: PATH_WEIGHTS.path, sha256: DIGEST } });
  });
});
