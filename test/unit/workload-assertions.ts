import * as fs from "fs";
import * as path from "path";
import { expect, it } from "vitest";
import { MOCK_L4T, PROJECT_DIR, RecordedResource, stackFileConfig } from "./helpers/pulumi-mocks";
import { StackRun, byName, stepEnv } from "./helpers/stack-graph";

interface StackNode {
  name: string;
  host: string;
  role: "server" | "agent";
  board: keyof typeof MOCK_L4T;
  models?: string[];
}

type ImageEntry = string | { prebuilt: string } | { build: { base?: string } };

interface StackDoc {
  nodes: StackNode[];
  runtime: string;
  images: { registry?: { inCluster?: { port?: number }; external?: string }; models: Record<string, ImageEntry>; tools?: ImageEntry; converter?: ImageEntry };
  grafana: boolean;
  telemetrySource: string;
}

const PORTS: Record<string, number> = { sacall: 6001, catcaller: 6002, chiron: 6003, rodan: 6004 };
const BASES = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "images", "bases.json"), "utf8")) as Record<string, Record<string, string>>;

function readStack(stack: string): StackDoc {
  const config = stackFileConfig(stack);
  const metrics = (config["edgecall:metricsStore"] ?? {}) as { grafana?: { enabled?: boolean } };
  return {
    nodes: config["edgecall:nodes"] as StackNode[],
    runtime: ((config["edgecall:k3s"] ?? {}) as { runtime?: string }).runtime ?? "containerd",
    images: config["edgecall:images"] as StackDoc["images"],
    grafana: metrics.grafana?.enabled === true,
    telemetrySource: ((config["edgecall:telemetry"] ?? {}) as { source?: string }).source ?? "auto",
  };
}

interface PodTemplate {
  spec: {
    nodeSelector?: Record<string, string>;
    runtimeClassName?: string;
    containers: Array<{ image: string; args?: string[]; command?: string[]; readinessProbe?: { httpGet?: { path: string } }; resources?: { limits?: Record<string, string> } }>;
  };
}

function podOf(resource: RecordedResource): PodTemplate {
  return (resource.inputs.spec as { template: PodTemplate }).template;
}

function ofType(run: StackRun, type: string): RecordedResource[] {
  return run.resources.filter((r) => r.type === type);
}

/** The workload checks every example stack must pass: images, services, registry, metrics store, telemetry. */
export function workloadTests(stack: string, run: () => StackRun): void {
  const doc = readStack(stack);
  const server = doc.nodes.find((n) => n.role === "server");
  if (server === undefined) throw new Error(`stack ${stack} has no server`);
  const placed = [...new Set(doc.nodes.flatMap((n) => n.models ?? []))];
  const built = (entry: ImageEntry | undefined) => entry !== undefined && typeof entry === "object" && "build" in entry;

  it("runs each model as a Deployment pinned to its boards, with readiness on /readyz and the GPU through the runtime", () => {
    const deployments = ofType(run(), "kubernetes:apps/v1:Deployment").filter((d) => /^service-/.test(d.name));
    expect(deployments.map((d) => d.name).sort()).toEqual(placed.map((m) => `service-${m}-deployment`).sort());
    for (const model of placed) {
      const deployment = byName(run(), `service-${model}-deployment`);
      const boards = doc.nodes.filter((n) => n.models?.includes(model));
      expect((deployment.inputs.spec as { replicas: number }).replicas).toBe(boards.length);
      const pod = podOf(deployment);
      expect(pod.spec.nodeSelector).toEqual({ [`edgecall.io/model-${model}`]: "true" });
      expect(pod.spec.runtimeClassName).toBe(doc.runtime === "containerd" ? "edgecall-nvidia" : undefined);
      const container = pod.spec.containers[0];
      expect(container.readinessProbe?.httpGet?.path).toBe("/readyz");
      expect(container.args?.slice(0, 3)).toEqual(["serve", "--model", model]);
      expect(container.resources?.limits?.["nvidia.com/gpu"]).toBeUndefined();
      expect(container.image).toBe(run().outputs.images[model].reference);
    }
  });

  it("exposes each model on its NodePort and Ingress path, and exports its endpoint", () => {
    for (const model of placed) {
      const service = byName(run(), `service-${model}-service`);
      const spec = service.inputs.spec as { type: string; ports: Array<{ nodePort: number }> };
      expect(spec.type).toBe("NodePort");
      expect(spec.ports[0].nodePort).toBe(PORTS[model]);
      const ingress = byName(run(), `service-${model}-ingress`);
      const rule = (ingress.inputs.spec as { rules: Array<{ http: { paths: Array<{ path: string; backend: { service: { name: string } } }> } }> }).rules[0];
      expect(rule.http.paths[0]).toMatchObject({ path: `/${model}`, backend: { service: { name: `edgecall-${model}` } } });
      const host = doc.nodes.find((n) => n.models?.includes(model))?.host;
      expect(run().outputs.endpoints[model]).toBe(`http://${host}:${PORTS[model]}`);
    }
    expect(Object.keys(run().outputs.endpoints).sort()).toEqual([...placed].sort());
    const middleware = ofType(run(), "kubernetes:traefik.io/v1alpha1:Middleware");
    expect(middleware).toHaveLength(placed.length > 0 ? 1 : 0);
    if (placed.length > 0) {
      expect((middleware[0].inputs.spec as { stripPrefix: { prefixes: string[] } }).stripPrefix.prefixes.sort()).toEqual(placed.map((m) => `/${m}`).sort());
    }
  });

  it("widens K3s' NodePort range on the server so the model ports exist", () => {
    expect(stepEnv(byName(run(), `k3s-${server.name}-install`)).EDGECALL_K3S_EXTRA_ARGS).toMatch(/--service-node-port-range=5000-32767/);
  });

  it("builds each built model image for linux/arm64 from the base of its boards' L4T release, and pins pods to the digest", () => {
    const images = ofType(run(), "docker:index/image:Image");
    const builtModels = placed.filter((m) => built(doc.images.models[m]));
    const builtOthers = (["converter", "tools"] as const).filter((key) => built(doc.images[key]));
    expect(images.map((i) => i.name).sort()).toEqual([...builtModels, ...builtOthers].map((m) => `image-${m}-image`).sort());
    const pushTo = doc.images.registry?.external ?? `${server.host}:${doc.images.registry?.inCluster?.port ?? 5000}/edgecall`;
    for (const model of builtModels) {
      const image = byName(run(), `image-${model}-image`);
      const board = doc.nodes.find((n) => n.models?.includes(model));
      const major = MOCK_L4T[board?.board ?? "nano"].split(".")[0];
      const build = image.inputs.build as { platform: string; dockerfile: string; args: Record<string, string> };
      expect(build.platform).toBe("linux/arm64");
      // One template for every model, told which by its build arguments (images/<model>/model.json).
      expect(build.dockerfile).toBe(path.join(PROJECT_DIR, "images", "model", "Dockerfile"));
      const facts = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "images", model, "model.json"), "utf8")) as { upstream: string; commit: string };
      expect(build.args).toMatchObject({ MODEL: model, UPSTREAM_REPO: facts.upstream, UPSTREAM_COMMIT: facts.commit });
      expect(build.args.L4T_BASE).toBe(BASES[model][major]);
      expect(image.inputs.imageName).toBe(`${pushTo}/${model}:l4t-${major.toLowerCase()}`);
      const summary = run().outputs.images[model];
      expect(summary.base).toBe(BASES[model][major]);
      expect(summary.reference).toBe(`${pushTo}/${model}@${summary.digest}`);
      expect(summary.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
    for (const model of placed.filter((m) => !built(doc.images.models[m]))) {
      const entry = doc.images.models[model];
      const reference = typeof entry === "string" ? entry : (entry as { prebuilt: string }).prebuilt;
      expect(run().outputs.images[model]).toEqual({ reference, digest: /@(sha256:[0-9a-f]{64})$/.exec(reference)?.[1] ?? null });
    }
  });

  it("runs a registry on the server that every board mirrors, before any Kubernetes object, only when it is in-cluster", () => {
    const inCluster = doc.images.registry?.inCluster !== undefined;
    const mirrors = ofType(run(), "edgecall:host:Step").filter((c) => c.name.startsWith("registry-mirror-"));
    expect(mirrors).toHaveLength(inCluster ? doc.nodes.length : 0);
    expect(ofType(run(), "kubernetes:apps/v1:Deployment").filter((d) => d.name === "registry-deployment")).toHaveLength(inCluster ? 1 : 0);
    if (!inCluster) return;
    const address = `${server.host}:${doc.images.registry?.inCluster?.port ?? 5000}`;
    for (const node of doc.nodes) {
      const mirror = byName(run(), `registry-mirror-${node.name}`);
      expect(stepEnv(mirror).EDGECALL_REGISTRY).toBe(address);
      expect(stepEnv(mirror).EDGECALL_K3S_RUNTIME).toBe(doc.runtime);
      expect(mirror.dependencies).toContain(byName(run(), `k3s-${node.name}-install`).urn);
      expect(byName(run(), "edgecall-namespace").dependencies).toContain(mirror.urn);
      expect(byName(run(), "gpu-device-plugin").dependencies).toContain(mirror.urn);
    }
    const pod = podOf(byName(run(), "registry-deployment"));
    expect(pod.spec.nodeSelector).toEqual({ "kubernetes.io/hostname": server.name });
    const service = byName(run(), "registry-service").inputs.spec as { ports: Array<{ nodePort: number }> };
    expect(service.ports[0].nodePort).toBe(doc.images.registry?.inCluster?.port ?? 5000);
    for (const image of ofType(run(), "docker:index/image:Image")) {
      expect(image.dependencies, `${image.name} is pushed once the registry answers`).toContain(byName(run(), "registry-service").urn);
    }
  });

  it("runs the metrics store on the server with a generated secret password, its schema migration, and telemetry on every board", () => {
    const tools = doc.images.tools !== undefined;
    const statefulSets = ofType(run(), "kubernetes:apps/v1:StatefulSet");
    expect(statefulSets.map((s) => s.name)).toEqual(tools ? ["metrics-postgres"] : []);
    expect(run().outputs.metricsStore).toEqual(
      tools ? { address: "edgecall-metrics.edgecall.svc.cluster.local:5432", ...(doc.grafana ? { grafana: `http://${server.host}:30300` } : {}) } : undefined,
    );
    const telemetry = ofType(run(), "kubernetes:apps/v1:DaemonSet").filter((d) => d.name === "telemetry-daemonset");
    expect(telemetry).toHaveLength(tools ? 1 : 0);
    if (!tools) return;
    const postgres = podOf(statefulSets[0]);
    expect(postgres.spec.nodeSelector).toEqual({ "kubernetes.io/hostname": server.name });
    const secret = byName(run(), "metrics-secret");
    expect(secret.secretInputs).toContain("stringData");
    const stringData = secret.inputs.stringData as Record<string, string>;
    expect(stringData.url).toBe(`postgres://edgecall:${stringData.password}@edgecall-metrics.edgecall.svc.cluster.local:5432/edgecall`);
    const migrate = ofType(run(), "kubernetes:batch/v1:Job").find((j) => j.name === "metrics-migrate");
    expect(migrate).toBeDefined();
    const job = (migrate?.inputs.spec as { template: PodTemplate }).template.spec.containers[0];
    expect(job.command).toEqual(["edgecall", "db", "migrate"]);
    expect(job.image).toBe(run().outputs.images.tools.reference);
    const exporter = podOf(telemetry[0]).spec.containers[0];
    expect(exporter.command?.slice(0, 3)).toEqual(["edgecall", "telemetry", "export"]);
    expect(exporter.command?.slice(-2)).toEqual(["--source", doc.telemetrySource]);
    expect(ofType(run(), "kubernetes:apps/v1:Deployment").filter((d) => d.name === "metrics-grafana")).toHaveLength(doc.grafana ? 1 : 0);
  });
}
