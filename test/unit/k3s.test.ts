import { describe, expect, it } from "vitest";
import { installStep, nodeLabels, rewriteKubeconfigServer } from "../../components/k3s";

describe("K3s node labels", () => {
  it("labels a one-model board with its board, L4T release and model", () => {
    expect(nodeLabels("nano", "R32.7.1", ["chiron"])).toEqual({
      "edgecall.io/board": "nano",
      "edgecall.io/l4t": "R32.7.1",
      "edgecall.io/model": "chiron",
      "edgecall.io/model-chiron": "true",
    });
  });

  it("marks a packed board and selects each of its models", () => {
    const labels = nodeLabels("orin", "R36.3.0", ["sacall", "rodan"]);
    expect(labels["edgecall.io/model"]).toBe("packed");
    expect(labels["edgecall.io/model-sacall"]).toBe("true");
    expect(labels["edgecall.io/model-rodan"]).toBe("true");
  });

  it("gives a board without models no model label", () => {
    expect(Object.keys(nodeLabels("nano", "R32.7.1", []))).toEqual(["edgecall.io/board", "edgecall.io/l4t"]);
  });
});

describe("K3s install step", () => {
  const base = { version: "v1.30.6+k3s1", runtime: "docker" as const, source: "airgap" as const, nodeName: "n1", labels: { a: "b" }, extraArgs: [] };

  it("tells an agent where the server is and refuses an agent without one", () => {
    const step = installStep({ ...base, role: "agent", serverUrl: "https://10.0.0.1:6443" });
    expect(step.env.EDGECALL_K3S_SERVER_URL).toBe("https://10.0.0.1:6443");
    expect(step.env.EDGECALL_NODE_LABELS).toBe("a=b");
    expect(() => installStep({ ...base, role: "agent" })).toThrow(/agent n1 needs the server URL/);
  });

  it("refuses extra arguments with spaces, which the script splits on", () => {
    expect(() => installStep({ ...base, role: "server", extraArgs: ["--flag a"] })).toThrow(/must not contain spaces/);
  });
});

describe("kubeconfig rewrite", () => {
  const k3sYaml = "clusters:\n- cluster:\n    certificate-authority-data: QUJD\n    server: https://127.0.0.1:6443\n  name: default\n";

  it("points the kubeconfig at the server's board address", () => {
    expect(rewriteKubeconfigServer(k3sYaml, "192.168.50.10")).toContain("server: https://192.168.50.10:6443");
    expect(rewriteKubeconfigServer(k3sYaml, "fd00::10")).toContain("server: https://[fd00::10]:6443");
  });

  it("fails on a kubeconfig without a server", () => {
    expect(() => rewriteKubeconfigServer("clusters: []\n", "h")).toThrow(/has no server address/);
  });
});
