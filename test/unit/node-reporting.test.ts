import * as k8s from "@pulumi/kubernetes";
import { beforeAll, describe, expect, it } from "vitest";
import { reportingNodes, silentNodeProblem, silentNodeReason } from "../../components/k3s";
import { recordResources, valueOf } from "./helpers/pulumi-mocks";

describe("which nodes count as not reporting", () => {
  it("names the node controller's reason once the kubelet stopped posting status", () => {
    expect(silentNodeReason([{ type: "Ready", status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status." }])).toBe(
      "NodeStatusUnknown: Kubelet stopped posting node status.",
    );
    expect(silentNodeReason([{ type: "Ready", status: "Unknown" }])).toBe("its Ready condition is Unknown");
    expect(silentNodeReason([{ type: "MemoryPressure", status: "False" }])).toBe("it has no Ready condition");
    expect(silentNodeReason(undefined)).toBe("it has no Ready condition");
  });

  it("lets a reporting node pass, Ready or still starting its network", () => {
    expect(silentNodeReason([{ type: "Ready", status: "True" }])).toBeUndefined();
    expect(silentNodeReason([{ type: "Ready", status: "False", reason: "KubeletNotReady" }])).toBeUndefined();
  });

  it("fails naming the board and how to bring it back", () => {
    expect(silentNodeProblem("nano-2", [{ type: "Ready", status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status." }])).toBe(
      "board nano-2: its Kubernetes node does not report (NodeStatusUnknown: Kubelet stopped posting node status.). " +
        "Start K3s on the board again (sudo systemctl start k3s-agent, or k3s on the server) or its kubelet, then run pulumi up again.",
    );
    expect(silentNodeProblem("nano-2", [{ type: "Ready", status: "True" }])).toBeUndefined();
  });
});

describe("reportingNodes under Pulumi mocks", () => {
  beforeAll(async () => {
    await recordResources("lab");
  });

  it("resolves to the board names when every node read back reports", async () => {
    const provider = new k8s.Provider("mock-cluster", { kubeconfig: "{}" });
    expect(await valueOf(reportingNodes("all-up", ["nano-1", "nano-2"], provider, []))).toEqual(["nano-1", "nano-2"]);
  });
});
