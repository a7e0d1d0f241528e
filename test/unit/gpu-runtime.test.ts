import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { devicePluginDaemonSet, supportsTegra, timeSlicingConfig } from "../../components/gpu-runtime";
import { boardSupport, l4tMajor, tuningSteps } from "../../components/jetson-node";

describe("NVIDIA device plugin", () => {
  it("accepts only releases that discover Tegra GPUs", () => {
    expect(supportsTegra("v0.15.0")).toBe(true);
    expect(supportsTegra("v0.17.0")).toBe(true);
    expect(supportsTegra("v1.0.0")).toBe(true);
    expect(supportsTegra("v0.14.5")).toBe(false);
    expect(supportsTegra("latest")).toBe(false);
    expect(() => devicePluginDaemonSet({ release: "v0.14.0" })).toThrow(/gpu\.devicePluginVersion v0\.14\.0 cannot discover Jetson GPUs/);
  });

  it("advertises each GPU as several when time-slicing", () => {
    expect(parse(timeSlicingConfig(4))).toEqual({
      version: "v1",
      flags: { migStrategy: "none" },
      sharing: { timeSlicing: { resources: [{ name: "nvidia.com/gpu", replicas: 4 }] } },
    });
  });

  it("mounts the time-slicing config only when given one", () => {
    const plain = JSON.stringify(devicePluginDaemonSet({ release: "v0.17.0" }));
    const sliced = JSON.stringify(devicePluginDaemonSet({ release: "v0.17.0", timeSlicingConfigMap: "cfg" }));
    expect(plain).not.toContain("CONFIG_FILE");
    expect(sliced).toContain('"CONFIG_FILE"');
    expect(sliced).toContain('"configMap":{"name":"cfg"}');
    expect(plain).toContain('"DEVICE_DISCOVERY_STRATEGY","value":"tegra"');
  });
});

describe("GpuRuntime component", () => {
  it("deploys the device plugin unless told there is no GPU to find", async () => {
    const { recordResources } = await import("./helpers/pulumi-mocks");
    const recorded = await recordResources("gpu");
    const k8s = await import("@pulumi/kubernetes");
    const { GpuRuntime } = await import("../../components/gpu-runtime");
    const provider = new k8s.Provider("p", { renderYamlToDirectory: "/tmp/unused" });
    new GpuRuntime("with", { provider, runtime: "containerd", devicePluginVersion: "v0.17.0" });
    new GpuRuntime("without", { provider, runtime: "containerd" });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const daemonSets = recorded.filter((r) => r.type === "kubernetes:apps/v1:DaemonSet").map((r) => r.name);
    expect(daemonSets).toEqual(["with-device-plugin"]);
    expect(recorded.filter((r) => r.type === "kubernetes:node.k8s.io/v1:RuntimeClass").map((r) => r.name)).toEqual(["with-runtime-class", "without-runtime-class"]);
  });
});

describe("board support and tuning steps", () => {
  it("maps each board kind to the L4T releases preflight accepts", () => {
    expect(boardSupport("nano").l4tReleases).toEqual(["R32.6", "R32.7"]);
    expect(boardSupport("orin").l4tReleases).toEqual(["R35", "R36"]);
    expect(l4tMajor("R36.3.0")).toBe("R36");
    expect(() => l4tMajor("36.3")).toThrow(/not an L4T release/);
  });

  it("sets Docker's default runtime only when K3s runs on Docker", () => {
    const tuning = { board: "nano" as const, powerMode: 1, jetsonClocks: false, fan: 128, swapMb: 0, headless: true, dockerDefaultRuntime: false, minFreeDiskMb: 1, installsK3s: true };
    const names = tuningSteps(tuning).map((s) => s.name);
    expect(names).toEqual(["power-mode", "clocks", "fan", "swap", "headless"]);
    expect(tuningSteps({ ...tuning, dockerDefaultRuntime: true }).map((s) => s.name).at(-1)).toBe("docker-runtime");
    const env = Object.assign({}, ...tuningSteps(tuning).map((s) => s.env)) as Record<string, string>;
    expect(env).toEqual({ EDGECALL_NVPMODEL_MODE: "1", EDGECALL_JETSON_CLOCKS: "off", EDGECALL_FAN: "128", EDGECALL_SWAP_MB: "0", EDGECALL_HEADLESS: "true" });
  });
});
