import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { BoardKind, ModelName } from "../../domain/models";
import { nodeLabels } from "./node-labels";

/** A board that is already a node of the cluster, under its `nodes[].name`. */
export interface ExistingNode {
  nodeName: string;
  board: BoardKind;
  models: readonly ModelName[];
  /** From preflight; becomes the `edgecall.io/l4t` label. */
  l4tRelease: pulumi.Input<string>;
  /** The labels are set after the board is tuned (its last tuning step). */
  ready: pulumi.Resource;
}

export interface ExistingClusterArgs {
  /** The cluster's kubeconfig (a secret), as `k3s.existing.kubeconfig` gives it. */
  kubeconfig: pulumi.Input<string>;
  nodes: ExistingNode[];
}

/**
 * A cluster the lab already runs on its boards (K3s or any Kubernetes): edgecall installs and
 * removes nothing of it, only puts its labels on the boards' nodes (a server-side apply patch, which
 * `pulumi destroy` takes back) and deploys onto it with this kubeconfig.
 */
export class ExistingCluster extends pulumi.ComponentResource {
  public readonly provider: k8s.Provider;
  /** The API server's URL, from the kubeconfig. */
  public readonly serverUrl: pulumi.Output<string>;
  public readonly kubeconfig: pulumi.Output<string>;
  /** The label patch of every node: workloads pinned to a board wait for it. */
  public readonly labelled: pulumi.Resource[];

  constructor(name: string, args: ExistingClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("edgecall:k3s:ExistingCluster", name, {}, opts);
    this.kubeconfig = pulumi.secret(args.kubeconfig);
    // The server's address is no credential, and a user needs to see it (the `serverUrl` output).
    this.serverUrl = pulumi.unsecret(
      pulumi.output(args.kubeconfig).apply((text) => {
        const server = /server:\s*(\S+)/.exec(text)?.[1];
        if (server === undefined) throw new pulumi.ResourceError("k3s.existing.kubeconfig has no cluster server address", this);
        return server;
      }),
    );
    this.provider = new k8s.Provider(`${name}-provider`, { kubeconfig: this.kubeconfig }, { parent: this });
    this.labelled = args.nodes.map(
      (node) =>
        new k8s.core.v1.NodePatch(
          `${name}-${node.nodeName}-labels`,
          {
            metadata: {
              name: node.nodeName,
              labels: pulumi.output(node.l4tRelease).apply((l4t) => nodeLabels(node.board, l4t, node.models)),
              annotations: { "pulumi.com/patchForce": "true" },
            },
          },
          { parent: this, provider: this.provider, dependsOn: [node.ready] },
        ),
    );
    this.registerOutputs({ serverUrl: this.serverUrl });
  }
}
