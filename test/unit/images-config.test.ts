import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { StackConfig, validateConfig } from "../../infra/config";
import { PROJECT_DIR } from "./helpers/pulumi-mocks";

/** A one-board config with `extra` merged in, validated as `pulumi up` validates it. */
function validate(extra: Record<string, unknown>, models: string[] = ["sacall"]) {
  return validateConfig(
    { nodes: [{ name: "solo", host: "10.0.0.5", role: "server", board: "orin", models }], ssh: { privateKey: "key" }, ...extra },
    PROJECT_DIR,
    "runtime",
  );
}

function problems(extra: Record<string, unknown>, models?: string[]): string[] {
  const result = validate(extra, models);
  if (result.ok) throw new Error("accepted");
  return result.problems.map((p) => `${p.path}: ${p.message}`);
}

function accepted(extra: Record<string, unknown>, models?: string[]): StackConfig {
  const result = validate(extra, models);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

describe("images, registry and services config", () => {
  it("reads an image as a prebuilt reference (short or long form) or a build", () => {
    const config = accepted({
      images: {
        registry: { inCluster: {} },
        models: { sacall: "reg/sacall@sha256:" + "a".repeat(64), rodan: { prebuilt: "reg/rodan:1" }, chiron: { build: { upstreamCommit: "b".repeat(40) } } },
        tools: { build: {} },
      },
    });
    expect(config.images?.models).toEqual({
      sacall: { kind: "prebuilt", reference: "reg/sacall@sha256:" + "a".repeat(64) },
      rodan: { kind: "prebuilt", reference: "reg/rodan:1" },
      chiron: { kind: "build", base: undefined, upstreamCommit: "b".repeat(40) },
    });
    expect(config.images?.registry).toEqual({ inCluster: { port: 5000, storageGi: 20, image: "registry:2.8.3" } });
  });

  it("needs an image for every model a board runs, and a registry for every built image", () => {
    expect(problems({ images: { models: { rodan: { build: {} } }, tools: { build: {} } } })).toEqual([
      "images.models.sacall: nodes[0] (solo) runs sacall but it has no image: give {build: {}} or a prebuilt reference",
      "images.models.rodan: is built, so images.registry must say where to push it ({inCluster: {}} or {external: host:port/path})",
      "images.tools: is built, so images.registry must say where to push it ({inCluster: {}} or {external: host:port/path})",
    ]);
  });

  it("rejects a short commit, a registry address with a scheme, and an unknown image form", () => {
    const found = problems({
      images: { registry: { external: "https://reg.lab:5000" }, models: { sacall: { build: { upstreamCommit: "ee18a1e" } }, rodan: { pull: "x" } } },
    });
    expect(found).toContainEqual(expect.stringMatching(/^images\.registry\b/));
    expect(found).toContainEqual(expect.stringMatching(/^images\.models\.sacall\b/));
    expect(found).toContainEqual(expect.stringMatching(/^images\.models\.rodan\b/));
  });

  it("refuses a base or commit for the converter and tools, whose Dockerfiles take neither", () => {
    expect(problems({ images: { registry: { inCluster: {} }, models: { sacall: "reg/s:1" }, tools: { build: { base: "ubuntu:22.04" } } } })).toEqual([
      "images.tools.build: base and upstreamCommit apply to model images only; use {build: {}}",
    ]);
  });

  it("turns the metrics store and telemetry on with the tools image, and refuses them on without it", () => {
    const withTools = accepted({ images: { models: { sacall: "reg/s:1" }, tools: "reg/tools:1" } });
    expect(withTools.metricsStore.enabled).toBeUndefined();
    expect(accepted({ images: { models: { sacall: "reg/s:1" } } }).telemetry).toMatchObject({ port: 9102, intervalMs: 1000, privileged: false });
    expect(problems({ images: { models: { sacall: "reg/s:1" } }, metricsStore: { enabled: true }, telemetry: { enabled: true } })).toEqual([
      "images.tools: the metrics store's schema migration runs the tools image; set images.tools or metricsStore.enabled: false",
      "images.tools: the telemetry DaemonSet runs the tools image; set images.tools or telemetry.enabled: false",
    ]);
  });

  it("refuses NodePorts that collide with the model services and a NodePort range of the user's own", () => {
    expect(
      problems({
        images: { registry: { inCluster: { port: 6001 } }, models: { sacall: "reg/s:1" } },
        metricsStore: { grafana: { enabled: true, nodePort: 6001 } },
        k3s: { extraServerArgs: ["--service-node-port-range=30000-32767"] },
      }),
    ).toEqual([
      "images.registry.inCluster.port: 6001 is already the NodePort of the sacall service",
      "metricsStore.grafana.nodePort: 6001 is already the NodePort of images.registry.inCluster.port",
      "k3s.extraServerArgs[0]: edgecall sets --service-node-port-range itself (the model services use ports 6001-6004); remove it",
    ]);
  });

  it("gives every model of the example stacks an image", () => {
    for (const stack of ["lab", "orin", "sim"]) {
      const doc = parse(fs.readFileSync(path.join(PROJECT_DIR, "stacks", `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
      const nodes = doc.config["edgecall:nodes"] as Array<{ models?: string[] }>;
      const images = (doc.config["edgecall:images"] as { models: Record<string, unknown> }).models;
      for (const model of nodes.flatMap((n) => n.models ?? [])) expect(images[model], `${stack}: ${model}`).toBeDefined();
    }
  });
});
