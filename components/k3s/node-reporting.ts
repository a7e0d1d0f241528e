import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

interface NodeCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/**
 * Why a node cannot take work, or undefined when its kubelet reports. Only a Ready condition of
 * `Unknown` (or none) counts: the node controller sets it once the kubelet stops posting status,
 * whereas a board that has just joined reports `False` for a few seconds and then becomes Ready.
 */
export function silentNodeReason(conditions: readonly NodeCondition[] | undefined): string | undefined {
  const ready = conditions?.find((condition) => condition.type === "Ready");
  if (ready === undefined) return "it has no Ready condition";
  if (ready.status !== "Unknown") return undefined;
  return [ready.reason, ready.message].filter((part) => part !== undefined && part !== "").join(": ") || "its Ready condition is Unknown";
}

/** What the update fails with when board `nodeName`'s kubelet does not report; undefined when it does. */
export function silentNodeProblem(nodeName: string, conditions: readonly NodeCondition[] | undefined): string | undefined {
  const reason = silentNodeReason(conditions);
  if (reason === undefined) return undefined;
  return (
    `board ${nodeName}: its Kubernetes node does not report (${reason}). Start K3s on the board again ` +
    `(sudo systemctl start k3s-agent, or k3s on the server) or its kubelet, then run pulumi up again.`
  );
}

/**
 * Reads every board's node at each update and fails the update, naming the board, when its kubelet
 * no longer reports: a Job pinned there would otherwise wait out its whole deadline. Resolves to the
 * node names once all report.
 */
export function reportingNodes(
  name: string,
  nodeNames: readonly string[],
  provider: k8s.Provider,
  after: pulumi.Resource[],
  opts: Pick<pulumi.CustomResourceOptions, "parent" | "aliases"> = {},
): pulumi.Output<string[]> {
  const checks = nodeNames.map((nodeName) => {
    const node = k8s.core.v1.Node.get(`${name}-${nodeName}`, nodeName, { ...opts, provider, dependsOn: after });
    return node.status.apply((status) => {
      const problem = silentNodeProblem(nodeName, status?.conditions);
      if (problem !== undefined) throw new pulumi.ResourceError(problem, node);
      return nodeName;
    });
  });
  return pulumi.all(checks);
}
