import { describe, expect, it } from "vitest";
import { WatcherPodSettings, watcherDeploymentSpec } from "../../components/live-watcher";
import { liveWatcherProblems, liveWatchersSchema } from "../../infra/live-config";
import type { Container, PodSpec } from "../../components/benchmark-run/pod-types";

/** The Deployment spec as plain values (the spec builder takes and gives Pulumi inputs). */
interface Rendered {
  replicas: number;
  strategy: unknown;
  template: { metadata: { annotations?: Record<string, string> }; spec: PodSpec & { containers: Array<Container & { args?: string[]; ports?: unknown; startupProbe?: unknown }>; securityContext?: unknown } };
}
const render = (s: WatcherPodSettings) => watcherDeploymentSpec(s) as unknown as Rendered;

const settings: WatcherPodSettings = {
  name: "minion-1",
  nodeName: "nano-rodan",
  model: "rodan",
  image: "registry.local/rodan@sha256:1234",
  runDir: "/data/minknow/current/pod5",
  outputDir: "/data/calls/minion-1",
  poll: false,
  settleSeconds: 2,
  setAsideAfterSeconds: 60,
  backlogWindowSeconds: 60,
  batchSize: 8,
  engine: "torch",
  precision: "fp32",
  runtimeClassName: "edgecall-nvidia",
};

describe("live watcher Deployment", () => {
  const spec = render(settings);
  const pod = spec.template.spec;
  const container = pod?.containers[0];

  it("runs one watcher on its board, replaced (never doubled) on a change, on the GPU through the runtime", () => {
    expect(spec.replicas).toBe(1);
    expect(spec.strategy).toEqual({ type: "Recreate" });
    expect(pod?.nodeSelector).toEqual({ "kubernetes.io/hostname": "nano-rodan" });
    expect(pod?.runtimeClassName).toBe("edgecall-nvidia");
    expect(pod?.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    expect(JSON.stringify(pod)).not.toContain("nvidia.com/gpu");
  });

  it("watches the run directory and writes beside it, both the lab's own directories that must exist", () => {
    expect(pod?.volumes).toEqual([
      { name: "run-dir", hostPath: { path: "/data/minknow/current/pod5", type: "Directory" } },
      { name: "calls", hostPath: { path: "/data/calls/minion-1", type: "Directory" } },
    ]);
    expect(container?.args).toEqual([
      "watch", "--model", "rodan", "--input", "/run-dir", "--output", "/calls", "--metrics-port", "9108", "--batch-size", "8",
      "--engine", "torch", "--precision", "fp32", "--settle-s", "2", "--set-aside-after-s", "60", "--backlog-window-s", "60",
    ]);
    expect(render({ ...settings, poll: true }).template.spec.containers[0].args).toContain("--poll");
  });

  it("says where its metrics are for a scraper, and waits for the model to load before counting it dead", () => {
    expect(spec.template.metadata.annotations).toEqual({ "prometheus.io/scrape": "true", "prometheus.io/port": "9108", "prometheus.io/path": "/metrics" });
    expect(container?.ports).toEqual([{ name: "metrics", containerPort: 9108 }]);
    expect(container?.startupProbe).toMatchObject({ tcpSocket: { port: "metrics" }, failureThreshold: 60 });
  });
});

describe("live config", () => {
  const nodes = [{ name: "nano-rodan", models: ["rodan" as const] }, { name: "nano-sacall", models: ["sacall" as const] }];
  const entry = { name: "minion-1", node: "nano-rodan", model: "rodan", runDir: "/data/run/pod5", outputDir: "/data/calls" };

  it("fills the watcher's defaults and refuses a path that is not absolute", () => {
    expect(liveWatchersSchema.parse([entry])[0]).toMatchObject({ poll: false, settleSeconds: 2, setAsideAfterSeconds: 60, backlogWindowSeconds: 60 });
    const relative = liveWatchersSchema.safeParse([{ ...entry, runDir: "run/pod5" }]);
    expect(relative.success).toBe(false);
    expect(relative.error?.issues[0]).toMatchObject({ path: [0, "runDir"], message: "runDir must be an absolute, normalised path on the board" });
  });

  it("names the entry's key for an unknown node, a model its node does not run, overlapping directories and a name used twice", () => {
    const parse = (list: unknown[]) => liveWatchersSchema.parse(list);
    expect(liveWatcherProblems(parse([{ ...entry, node: "nano-9" }]), nodes)).toEqual([{ path: "live[0].node", message: "nano-9 is not a node of the stack (nodes[].name: nano-rodan, nano-sacall)" }]);
    expect(liveWatcherProblems(parse([{ ...entry, model: "sacall" }]), nodes)).toEqual([
      { path: "live[0].model", message: "nano-rodan does not run sacall (its models: rodan); add it to that node's models or pick one of them" },
    ]);
    expect(liveWatcherProblems(parse([{ ...entry, outputDir: "/data/run/pod5/calls" }]), nodes)).toEqual([
      { path: "live[0].outputDir", message: "/data/run/pod5/calls overlaps runDir /data/run/pod5; the calls must go outside the run directory" },
    ]);
    expect(liveWatcherProblems(parse([entry, { ...entry, runDir: "/data/run2", outputDir: "/data/calls2" }]), nodes)).toEqual([
      { path: "live[1].name", message: "minion-1 is used by another entry; give each a name of its own" },
    ]);
    expect(liveWatcherProblems(parse([entry]), nodes)).toEqual([]);
  });
});
