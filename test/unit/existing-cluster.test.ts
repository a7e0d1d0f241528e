import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { nodeLabels } from "../../components/k3s";
import { buildCluster } from "../../infra/cluster";
import { StackConfig, validateConfig } from "../../infra/config";
import type { BoardKind, ModelName } from "../../domain/models";
import { edgecallValues } from "../../infra/stack-file";
import { buildWorkloads } from "../../infra/workloads";
import { MOCK_L4T, PROJECT_DIR, RecordedResource, isSecretInput, recordResources, stackConfigForMocks, valueOf } from "./helpers/pulumi-mocks";

const KUBECONFIG = "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://lab-k3s.example:6443\n  name: lab\n";

/** The lab stack moved onto a cluster the lab runs itself, with its images in an external registry. */
function labOnExistingCluster(): StackConfig {
  const { values } = edgecallValues(labValues());
  values.k3s = { runtime: "containerd", existing: { kubeconfig: KUBECONFIG } };
  (values.images as { registry: unknown }).registry = { external: "registry.lab:5000/edgecall" };
  const result = validateConfig(values, PROJECT_DIR, "runtime");
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
  return result.config;
}

/** The lab stack's values as the program reads them (structured values arrive as JSON text). */
function labValues(): Record<string, unknown> {
  return Object.fromEntries(Object.entries(stackConfigForMocks("lab")).map(([key, value]) => [key, tryJson(value)]));
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

describe("a stack on the lab's existing cluster (k3s.existing) under Pulumi mocks", () => {
  let resources: RecordedResource[];
  let config: StackConfig;
  let serverUrl: string;
  let kubeconfigIsSecret: boolean;
  let serverUrlIsSecret: boolean;

  beforeAll(async () => {
    resources = await recordResources("lab");
    config = labOnExistingCluster();
    const cluster = buildCluster(config, PROJECT_DIR);
    buildWorkloads(config, cluster);
    serverUrl = await valueOf(cluster.serverUrl);
    kubeconfigIsSecret = await pulumi.isSecret(cluster.kubeconfig);
    serverUrlIsSecret = await pulumi.isSecret(cluster.serverUrl);
    await new Promise((resolve) => setTimeout(resolve, 200));
  });

  it("installs no K3s, no member and no registry mirror, but still tunes every board", () => {
    const steps = resources.filter((r) => r.type === "edgecall:host:Step").map((r) => r.name);
    expect(steps.filter((name) => /^k3s-|registry-mirror/.test(name))).toEqual([]);
    for (const node of config.nodes) expect(steps, node.name).toContain(`${node.name}-power-mode`);
    expect(resources.filter((r) => r.type === "random:index/randomPassword:RandomPassword").map((r) => r.name)).not.toContain("k3s-token");
  });

  it("lets preflight accept the cluster state the boards hold (a stack that installs K3s refuses it)", () => {
    const preflights = resources.filter((r) => r.type === "edgecall:host:Step" && r.name.endsWith("-preflight"));
    expect(preflights.map((r) => (r.inputs.step as { env: Record<string, string> }).env.EDGECALL_INSTALLS_K3S)).toEqual(config.nodes.map(() => "false"));
  });

  it("labels each board's node with a patch that waits for the board's tuning", () => {
    const patches = resources.filter((r) => r.type === "kubernetes:core/v1:NodePatch");
    expect(patches.map((p) => (p.inputs.metadata as { name: string }).name).sort()).toEqual(config.nodes.map((n) => n.name).sort());
    for (const node of config.nodes) {
      const patch = patches.find((p) => (p.inputs.metadata as { name: string }).name === node.name) as RecordedResource;
      const metadata = patch.inputs.metadata as { labels: Record<string, string> };
      expect(metadata.labels).toEqual(nodeLabels(node.board as BoardKind, MOCK_L4T[node.board], node.models as ModelName[]));
      const tuning = resources.filter((r) => r.type === "edgecall:host:Step" && r.name.startsWith(`${node.name}-`)).map((r) => r.urn);
      expect(patch.dependencies.some((urn) => tuning.includes(urn)), node.name).toBe(true);
    }
  });

  it("talks to the cluster with its kubeconfig as a secret and reports its server", () => {
    const providers = resources.filter((r) => r.type === "pulumi:providers:kubernetes");
    expect(providers.map((p) => p.name)).toEqual(["existing-cluster-provider"]);
    expect(providers[0].inputs.kubeconfig).toBe(KUBECONFIG);
    expect(isSecretInput(providers[0], "kubeconfig")).toBe(true);
    expect(serverUrl).toBe("https://lab-k3s.example:6443");
    expect(kubeconfigIsSecret).toBe(true);
    // The address is shown (`pulumi stack output serverUrl`), the credentials are not.
    expect(serverUrlIsSecret).toBe(false);
  });

  it("creates its cluster objects after the nodes carry their labels", () => {
    const patches = resources.filter((r) => r.type === "kubernetes:core/v1:NodePatch").map((r) => r.urn);
    const runtimeClass = resources.find((r) => r.type === "kubernetes:node.k8s.io/v1:RuntimeClass") as RecordedResource;
    expect(runtimeClass.inputs).toMatchObject({ metadata: { name: "edgecall-nvidia" }, handler: "nvidia" });
    expect(runtimeClass.dependencies).toEqual(expect.arrayContaining(patches));
  });
});

describe("k3s.existing validation", () => {
  function problems(edit: (values: Record<string, unknown>) => void): string[] {
    const { values } = edgecallValues(labValues());
    values.k3s = { runtime: "containerd", existing: { kubeconfig: KUBECONFIG } };
    edit(values);
    const result = validateConfig(values, PROJECT_DIR, "runtime");
    return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
  }

  it("refuses the in-cluster registry, which every board's K3s would have to mirror", () => {
    expect(problems(() => undefined)).toEqual([expect.stringMatching(/^images\.registry\.inCluster: .*does not own.*images\.registry\.external/)]);
  });

  it("refuses the settings only edgecall's own K3s install honours", () => {
    const found = problems((values) => {
      (values.images as { registry: unknown }).registry = { external: "registry.lab:5000/edgecall" };
      values.k3s = { existing: { kubeconfig: KUBECONFIG }, extraServerArgs: ["--disable=traefik"], install: { source: "airgap", binary: "a", images: "b", installScript: "c" } };
    });
    expect(found).toEqual(
      expect.arrayContaining([expect.stringMatching(/^k3s\.extraServerArgs: applies only to the K3s edgecall installs/), expect.stringMatching(/^k3s\.install: applies only/)]),
    );
    // The air-gap files of an install that will not happen are not looked for.
    expect(found.filter((p) => p.includes("does not exist"))).toEqual([]);
  });
});
