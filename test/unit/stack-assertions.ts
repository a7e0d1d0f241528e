import { expect, it } from "vitest";
import { stringify } from "yaml";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { validateManifests, validatorMissing } from "../manifests/validate";
import { MOCK_L4T, isSecretInput, stackFileConfig } from "./helpers/pulumi-mocks";
import { StackRun, byName, stepEnv, stepUploads } from "./helpers/stack-graph";

interface StackNode {
  name: string;
  host: string;
  role: "server" | "agent";
  board: string;
  models?: string[];
}

function stackNodes(stack: string): { nodes: StackNode[]; config: Record<string, unknown> } {
  const config = stackFileConfig(stack);
  return { nodes: config["edgecall:nodes"] as StackNode[], config };
}

const TUNING = ["power-mode", "clocks", "fan", "swap", "headless"];

const missingValidator = validatorMissing();
if (missingValidator.length > 0 && process.env.CI === "true") {
  throw new Error(`manifest checks need ${missingValidator.join(", ")}: run test/setup/install-unit-tier.sh`);
}

/**
 * The checks every example stack's resource graph must pass (issue: unit tier). `agentCount` is
 * what the caller knows the stack holds, so a check over "every agent" cannot pass by finding none.
 */
export function stackGraphTests(stack: string, run: () => StackRun, agentCount: number): void {
  const { nodes, config } = stackNodes(stack);
  const agents = nodes.filter((n) => n.role === "agent");
  const k3s = (config["edgecall:k3s"] ?? {}) as {
    runtime?: string;
    version?: string;
    install?: { source: string };
    renderManifestsTo?: string;
  };
  const scheduling = (config["edgecall:scheduling"] ?? {}) as { mode?: string; timeSlicingReplicas?: number };
  const runtime = k3s.runtime ?? "containerd";
  const steps = runtime === "docker" ? [...TUNING, "docker-runtime"] : TUNING;
  const server = nodes.find((n) => n.role === "server");
  if (server === undefined) throw new Error(`stack ${stack} has no server`);

  it("shows the tree a user expects: the boards, then one Cluster holding K3s, the mirrors and GPU access, and the benchmark workloads under their run", () => {
    const parentType = (name: string) => byName(run(), name).urn.split("::")[2].split("$").slice(0, -1).pop();
    for (const node of nodes) expect(parentType(node.name), node.name).toBeUndefined();
    expect(parentType("cluster")).toBeUndefined();
    expect(parentType("k3s")).toBe("edgecall:cluster:Cluster");
    expect(parentType("gpu")).toBe("edgecall:cluster:Cluster");
    if (stack === "lab") expect(parentType("registry-mirror")).toBe("edgecall:cluster:Cluster");
    if (config["edgecall:benchmark"] !== undefined) {
      expect(parentType("bench-benchmark")).toBe("edgecall:benchmark:BenchmarkRun");
      expect(parentType("bench-load")).toBe("edgecall:benchmark:BenchmarkRun");
    }
  });

  it("gives every board a preflight and each tuning step, chained in order after preflight", () => {
    for (const node of nodes) {
      let previous = byName(run(), `${node.name}-preflight`);
      // edgecall installs K3s here, so preflight refuses a board holding another cluster's state.
      expect((previous.inputs.step as { env: Record<string, string> }).env.EDGECALL_INSTALLS_K3S, node.name).toBe("true");
      for (const step of steps) {
        const current = byName(run(), `${node.name}-${step}`);
        expect(current.dependencies, `${node.name}-${step} runs after ${previous.name}`).toContain(previous.urn);
        previous = current;
      }
    }
  });

  it("tunes each board before installing K3s on it, and installs the agents after the server, one at a time", () => {
    const last = steps[steps.length - 1];
    const serverInstall = byName(run(), `k3s-${server.name}-install`);
    expect(agents).toHaveLength(agentCount);
    const installs = run().resources.filter((r) => /^k3s-.+-install$/.test(r.name));
    expect(installs.map((r) => r.name).sort()).toEqual(nodes.map((n) => `k3s-${n.name}-install`).sort());
    for (const node of nodes) {
      const install = byName(run(), `k3s-${node.name}-install`);
      expect(install.dependencies).toContain(byName(run(), `${node.name}-${last}`).urn);
      if (node.role === "agent") expect(install.dependencies).toContain(serverInstall.urn);
    }
    agents.forEach((agent, i) => {
      const install = byName(run(), `k3s-${agent.name}-install`);
      if (i > 0) expect(install.dependencies, agent.name).toContain(byName(run(), `k3s-${agents[i - 1].name}-install`).urn);
      const later = agents.slice(i + 1).map((a) => byName(run(), `k3s-${a.name}-install`).urn);
      expect(install.dependencies.filter((urn) => later.includes(urn)), agent.name).toEqual([]);
    });
    expect(serverInstall.dependencies.some((urn) => nodes.some((n) => n.role === "agent" && urn.endsWith(`k3s-${n.name}-install`)))).toBe(false);
  });

  it("records every agent on the server, keyed by its address, so a replaced board's node is removed", () => {
    const members = run().resources.filter((r) => /^k3s-.+-member$/.test(r.name));
    expect(members.map((r) => r.name).sort()).toEqual(agents.map((a) => `k3s-${a.name}-member`).sort());
    expect(members).toHaveLength(agentCount);
    for (const agent of agents) {
      const member = byName(run(), `k3s-${agent.name}-member`);
      expect(member.inputs.connection).toMatchObject({ host: server.host });
      expect(stepEnv(member)).toEqual({ EDGECALL_NODE_NAME: agent.name, EDGECALL_NODE_HOST: agent.host });
      expect(member.dependencies).toContain(byName(run(), `k3s-${agent.name}-install`).urn);
    }
  });

  it("keeps the SSH key, the sudo password and the join token secret, and out of every step's values", () => {
    const hostSteps = run().resources.filter((r) => r.type === "edgecall:host:Step");
    expect(hostSteps.length).toBeGreaterThan(nodes.length * steps.length);
    for (const step of hostSteps) {
      expect(isSecretInput(step, "connection.privateKey"), `${step.name} key`).toBe(true);
      expect(isSecretInput(step, "sudoPassword"), `${step.name} sudo password`).toBe(true);
      expect(String(step.inputs.sudoPassword)).toMatch(/^decrypted-test-secret-\d+$/);
      const plain = JSON.stringify({ step: step.inputs.step, uploads: step.inputs.uploads, connection: { ...(step.inputs.connection as object), privateKey: "" } });
      expect(plain).not.toContain("decrypted-test-secret");
      expect(plain).not.toContain("mock-join-token");
    }
    for (const node of nodes) {
      const install = byName(run(), `k3s-${node.name}-install`);
      expect(isSecretInput(install, "secrets")).toBe(true);
      expect(install.inputs.secrets).toEqual({ K3S_TOKEN: "mock-join-token-0123456789" });
    }
    expect(run().outputs.kubeconfigIsSecret).toBe(true);
    expect(run().resources.some((r) => r.type === "random:index/randomPassword:RandomPassword")).toBe(true);
  });

  it("labels each node with its board, L4T release and models, at the pinned K3s version", () => {
    for (const node of nodes) {
      const env = stepEnv(byName(run(), `k3s-${node.name}-install`));
      const models = node.models ?? [];
      const modelLabel = models.length === 1 ? ` edgecall.io/model=${models[0]}` : models.length > 1 ? " edgecall.io/model=packed" : "";
      const perModel = models.map((m) => ` edgecall.io/model-${m}=true`).join("");
      expect(env.EDGECALL_NODE_LABELS).toBe(`edgecall.io/board=${node.board} edgecall.io/l4t=${MOCK_L4T[node.board]}${modelLabel}${perModel}`);
      expect(env.EDGECALL_K3S_VERSION).toBe(k3s.version ?? "v1.30.6+k3s1");
      expect(env.EDGECALL_K3S_RUNTIME).toBe(runtime);
      expect(env.EDGECALL_K3S_ROLE).toBe(node.role);
      if (node.role === "agent") expect(env.EDGECALL_K3S_SERVER_URL).toBe(`https://${server.host}:6443`);
    }
  });

  it("gives the cluster GPU access for its runtime and scheduling mode", () => {
    const daemonSets = run().resources.filter((r) => r.type === "kubernetes:apps/v1:DaemonSet" && r.name.endsWith("-device-plugin"));
    const runtimeClasses = run().resources.filter((r) => r.type === "kubernetes:node.k8s.io/v1:RuntimeClass");
    expect(runtimeClasses).toHaveLength(runtime === "containerd" ? 1 : 0);
    // K3s owns a RuntimeClass named `nvidia`; edgecall's must not collide with it.
    for (const runtimeClass of runtimeClasses) expect(runtimeClass.inputs).toMatchObject({ metadata: { name: "edgecall-nvidia" }, handler: "nvidia" });
    const devicePlugin = ((config["edgecall:gpu"] ?? {}) as { devicePlugin?: boolean }).devicePlugin ?? true;
    expect(daemonSets).toHaveLength(devicePlugin ? 1 : 0);
    if (devicePlugin) {
      const pod = (daemonSets[0].inputs.spec as { template: { spec: { containers: Array<{ image: string }>; runtimeClassName?: string } } }).template.spec;
      expect(pod.containers[0].image).toBe("nvcr.io/nvidia/k8s-device-plugin:v0.17.0");
      expect(pod.runtimeClassName).toBe(runtime === "containerd" ? "edgecall-nvidia" : undefined);
    }
    const slicing = run().resources.filter((r) => r.type === "kubernetes:core/v1:ConfigMap" && r.name.endsWith("-time-slicing"));
    expect(slicing).toHaveLength(scheduling.mode === "packed" ? 1 : 0);
    if (scheduling.mode === "packed") {
      expect(String((slicing[0].inputs.data as Record<string, string>)["config.yaml"])).toContain(`replicas: ${scheduling.timeSlicingReplicas ?? 4}`);
    }
  });

  it("copies the air-gap files to every board with its install step, or downloads when online", () => {
    const airgap = k3s.install?.source === "airgap";
    for (const node of nodes) {
      const install = byName(run(), `k3s-${node.name}-install`);
      expect(stepEnv(install).EDGECALL_K3S_SOURCE).toBe(airgap ? "airgap" : "online");
      const uploads = stepUploads(install);
      if (!airgap) {
        expect(uploads).toBeUndefined();
        continue;
      }
      expect(uploads?.dir).toBe("/var/tmp/edgecall-k3s-airgap");
      expect(uploads?.files.map((f) => f.target).sort()).toEqual(["install.sh", "k3s", "k3s-airgap-images.tar.zst"]);
      for (const file of uploads?.files ?? []) {
        expect(path.isAbsolute(file.source), file.source).toBe(true);
        expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
      }
    }
  });

  it("renders Kubernetes objects to a directory only when the stack asks for it", () => {
    const providers = run().resources.filter((r) => r.type === "pulumi:providers:kubernetes");
    expect(providers).toHaveLength(1);
    if (k3s.renderManifestsTo === undefined) {
      expect(providers[0].inputs.renderYamlToDirectory).toBeUndefined();
      expect(isSecretInput(providers[0], "kubeconfig")).toBe(true);
    } else {
      expect(String(providers[0].inputs.renderYamlToDirectory)).toMatch(new RegExp(`${k3s.renderManifestsTo.replace(/[.]/g, "\\.")}$`));
    }
  });

  it.skipIf(missingValidator.length > 0)("produces only Kubernetes objects that pass strict schema validation for v1.30", async () => {
    const objects = run().resources.filter((r) => r.type.startsWith("kubernetes:") && !r.type.startsWith("pulumi:providers:"));
    expect(objects.length).toBeGreaterThan(0);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-manifests-"));
    try {
      const files = objects.map((object, i) => {
        const file = path.join(dir, `${i}-${object.name}.yaml`);
        fs.writeFileSync(file, stringify(object.inputs));
        return file;
      });
      const results = await validateManifests(files);
      expect(results).toHaveLength(objects.length);
      expect(results.filter((r) => r.status !== "valid" && r.status !== "skipped")).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runs a benchmark Job per model on the model's board when the stack configures a benchmark", () => {
    const benchmark = config["edgecall:benchmark"] as { runId: string; scaling?: { maxBoards: number } } | undefined;
    const jobName = (r: { inputs: Record<string, unknown> }) => String((r.inputs.metadata as { name?: string } | undefined)?.name);
    const allJobs = run().resources.filter((r) => r.type === "kubernetes:batch/v1:Job" && !r.name.endsWith("-migrate") && !/edgecall-(load|live|ru)-/.test(r.name));
    // The scaling benchmark's Indexed Jobs, one per board count, are not per-model benchmark Jobs.
    const scalingJobs = allJobs.filter((r) => jobName(r).startsWith("edgecall-scale-"));
    expect(scalingJobs).toHaveLength(benchmark?.scaling?.maxBoards ?? 0);
    const jobs = allJobs.filter((r) => !scalingJobs.includes(r));
    const models = nodes.flatMap((n) => n.models ?? []);
    if (benchmark === undefined) {
      expect(jobs).toEqual([]);
      expect(run().outputs.benchmarks).toBeUndefined();
      return;
    }
    expect(jobs).toHaveLength(models.length);
    for (const node of nodes) {
      for (const model of node.models ?? []) {
        const job = jobs.find((j) => JSON.stringify(j.inputs).includes(`"edgecall.io/model-${model}":"true"`));
        expect(job, `${model}'s Job is pinned to its board`).toBeDefined();
        const evaluate = (job?.inputs.spec as { template: { spec: { containers: Array<{ env: Array<{ name: string; value?: string }> }> } } }).template.spec.containers[0];
        const env = Object.fromEntries(evaluate.env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
        expect(env, `${model}'s provenance`).toMatchObject({ EDGECALL_BOARD_KIND: node.board, EDGECALL_L4T_RELEASE: MOCK_L4T[node.board], EDGECALL_POWER_MODE: "0 (MAXN)", EDGECALL_JETSON_CLOCKS: "true" });
        // With a metrics store, evaluate pushes the run to it through a Secret in the benchmark namespace.
        const metricsUrl = evaluate.env.find((e) => e.name === "EDGECALL_METRICS_URL");
        expect(metricsUrl === undefined, `${model}: metrics URL iff a store runs`).toBe(run().outputs.metricsStore === undefined);
      }
    }
    const urlSecrets = run().resources.filter((r) => r.type === "kubernetes:core/v1:Secret" && r.name.endsWith("-metrics-url"));
    expect(urlSecrets).toHaveLength(run().outputs.metricsStore === undefined ? 0 : 1);
    for (const secret of urlSecrets) {
      expect(secret.secretInputs).toContain("stringData");
      expect(String((secret.inputs.stringData as Record<string, string>).url)).toMatch(/^postgres:\/\/edgecall:.+@edgecall-metrics\.edgecall\.svc\.cluster\.local:5432\/edgecall$/);
    }
    const outcome = run().outputs.benchmarks ?? {};
    expect(Object.keys(outcome).sort()).toEqual([...models].sort());
    if (k3s.renderManifestsTo !== undefined) {
      for (const model of models) expect(outcome[model]).toMatchObject({ status: "not measured: rendered only", runId: benchmark.runId });
    }
  });

  it("drives each model's service with the load generator after every benchmark Job, one model at a time", () => {
    const benchmark = config["edgecall:benchmark"] as { runId: string; concurrency?: number[] } | undefined;
    const loadJobs = run().resources.filter((r) => r.type === "kubernetes:batch/v1:Job" && r.name.includes("edgecall-load-"));
    const models = nodes.flatMap((n) => n.models ?? []);
    if (benchmark === undefined) {
      expect(loadJobs).toEqual([]);
      expect(run().outputs.load).toBeUndefined();
      return;
    }
    expect(loadJobs).toHaveLength(models.length);
    const benchmarkJobs = run().resources.filter((r) => r.type === "kubernetes:batch/v1:Job" && /-r\d+$/.test(r.name));
    for (const model of models) {
      const job = loadJobs.find((j) => j.name.includes(`edgecall-load-${model}-`));
      expect(job, `${model}'s load Job`).toBeDefined();
      const pod = (job?.inputs.spec as { template: { spec: { nodeSelector: Record<string, string>; containers: Array<{ env: Array<{ name: string; value?: string }> }> } } }).template.spec;
      expect(pod.nodeSelector).toEqual({ [`edgecall.io/model-${model}`]: "true" });
      const env = Object.fromEntries(pod.containers[0].env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
      expect(env).toMatchObject({
        EDGECALL_TARGET: `http://edgecall-${model}.edgecall.svc.cluster.local:8080`,
        EDGECALL_CONCURRENCY: (benchmark.concurrency ?? [1, 2, 4, 8]).join(","),
        EDGECALL_MANIFEST: "/work/input/load.jsonl",
      });
      expect(job?.dependencies).toContain(byName(run(), `service-${model}-service`).urn);
    }
    // A chain: the first load Job waits for every benchmark Job, each next one for the one before.
    const first = loadJobs.filter((job) => benchmarkJobs.every((b) => job.dependencies.includes(b.urn)));
    expect(first).toHaveLength(1);
    for (const job of loadJobs.filter((j) => j !== first[0])) {
      expect(loadJobs.filter((other) => job.dependencies.includes(other.urn)), `${job.name} waits for one load Job`).toHaveLength(1);
    }
    expect(Object.keys(run().outputs.load ?? {}).sort()).toEqual([...models].sort());
    if (k3s.renderManifestsTo !== undefined) {
      for (const model of models) expect(run().outputs.load?.[model]).toMatchObject({ status: "not measured: rendered only", runId: benchmark.runId });
    }
  });

  it("runs the live benchmark of benchmark.live's models last, one model at a time, and exports its outcome", () => {
    const benchmark = config["edgecall:benchmark"] as { runId: string; live?: { models?: string[]; speeds: number[]; durationSeconds?: number } } | undefined;
    const liveJobs = run().resources.filter((r) => r.type === "kubernetes:batch/v1:Job" && r.name.includes("edgecall-live-"));
    if (benchmark?.live === undefined) {
      expect(liveJobs).toEqual([]);
      expect(Object.keys(run().outputs.live ?? {})).toEqual([]);
      return;
    }
    const models = benchmark.live.models ?? nodes.flatMap((n) => n.models ?? []);
    expect(liveJobs).toHaveLength(models.length);
    const others = run().resources.filter((r) => r.type === "kubernetes:batch/v1:Job" && !r.name.endsWith("-migrate") && !liveJobs.includes(r));
    for (const model of models) {
      const job = liveJobs.find((j) => j.name.includes(`edgecall-live-${model}-`));
      expect(job, `${model}'s live Job`).toBeDefined();
      const pod = (job?.inputs.spec as { template: { spec: { nodeSelector: Record<string, string>; initContainers: Array<{ command: string[] }> } } }).template.spec;
      expect(pod.nodeSelector).toEqual({ [`edgecall.io/model-${model}`]: "true" });
      const command = pod.initContainers[0].command;
      expect(command.slice(0, 2)).toEqual(["edgecall-runner", "live-bench"]);
      expect(command[command.indexOf("--speeds") + 1]).toBe(benchmark.live.speeds.join(","));
    }
    // The first live Job waits for every other Job of the run (benchmark, scaling, load), and each
    // model's read-until Job, where one runs, for its live Job.
    const readUntilJobs = others.filter((r) => r.name.includes("edgecall-ru-"));
    const before = others.filter((r) => !readUntilJobs.includes(r));
    const first = liveJobs.filter((job) => before.every((o) => job.dependencies.includes(o.urn)));
    expect(first, liveJobs.map((j) => before.filter((o) => !j.dependencies.includes(o.urn)).map((o) => o.name).join(",")).join(" | ")).toHaveLength(1);
    const readUntil = (benchmark.live as { readUntil?: { channels?: number[] } }).readUntil;
    expect(readUntilJobs).toHaveLength(readUntil === undefined ? 0 : models.length);
    for (const job of readUntilJobs) {
      expect(liveJobs.filter((live) => job.dependencies.includes(live.urn))).toHaveLength(1);
      const env = (job.inputs.spec as { template: { spec: { containers: Array<{ env: Array<{ name: string; value?: string }> }> } } }).template.spec.containers[0].env;
      expect(env.find((e) => e.name === "EDGECALL_CHANNELS")?.value).toBe((readUntil?.channels ?? [64, 128, 256, 512]).join(","));
    }
    expect(Object.keys(run().outputs.live ?? {}).sort()).toEqual([...models].sort());
    if (k3s.renderManifestsTo !== undefined) {
      for (const model of models) expect(run().outputs.live?.[model]).toMatchObject({ status: "not measured: rendered only", runId: benchmark.runId });
    }
  });

  it("runs a watcher Deployment per live run directory on its board, and exports where it is", () => {
    const live = (config["edgecall:live"] ?? []) as Array<{ name: string; node: string; model: string; runDir: string; outputDir: string }>;
    const deployments = run().resources.filter((r) => r.type === "kubernetes:apps/v1:Deployment" && r.name.startsWith("watch-"));
    expect(deployments.map((d) => d.name).sort()).toEqual(live.map((w) => `watch-${w.name}-deployment`).sort());
    for (const w of live) {
      const spec = byName(run(), `watch-${w.name}-deployment`).inputs.spec as { template: { spec: { nodeSelector: Record<string, string>; volumes: Array<{ hostPath?: { path: string } }> } } };
      expect(spec.template.spec.nodeSelector).toEqual({ "kubernetes.io/hostname": w.node });
      expect(spec.template.spec.volumes.map((v) => v.hostPath?.path)).toEqual([w.runDir, w.outputDir]);
      expect(run().outputs.watchers[w.name]).toEqual({ node: w.node, model: w.model, runDir: w.runDir, outputDir: w.outputDir, metrics: `http://edgecall-watch-${w.name}.edgecall.svc.cluster.local:9108/metrics` });
    }
    expect(Object.keys(run().outputs.watchers).length).toBe(live.length);
  });

  it("exports nodes, serverUrl and a kubeconfig pointing at the server's address", () => {
    const outputs = run().outputs;
    expect(outputs.serverUrl).toBe(`https://${server.host}:6443`);
    expect(outputs.kubeconfig).toContain(`server: https://${server.host}:6443`);
    expect(outputs.nodes.map((n) => n.name)).toEqual(nodes.map((n) => n.name));
    for (const node of outputs.nodes) {
      expect(node).toMatchObject({ l4tRelease: MOCK_L4T[node.board], powerMode: "0 (MAXN)" });
    }
  });
}
