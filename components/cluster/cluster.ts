import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { NODE_PORT_RANGE } from "../../domain/models";
import { GpuRuntime } from "../gpu-runtime";
import { ExistingCluster, K3sAirgapFiles, K3sCluster, K3sClusterNode, reportingNodes } from "../k3s";
import { RegistryMirror } from "../registry";

/** A tuned board as the cluster takes it: its K3s node and its role. */
export interface ClusterBoard extends K3sClusterNode {
  role: "server" | "agent";
}

/** K3s installed by edgecall on the boards. */
export interface InstalledKubernetes {
  kind: "install";
  version: string;
  airgap?: K3sAirgapFiles;
  extraServerArgs: string[];
  extraAgentArgs: string[];
  /** Render the Kubernetes objects to this directory instead of applying them (the sim stack's rehearsal). */
  renderManifestsTo?: string;
  /** `host:port` of the in-cluster registry every board mirrors; none without one. */
  registryMirror?: string;
}

/** A cluster the lab runs itself, its kubeconfig a secret: nothing installed, the boards' nodes labelled. */
export interface ExistingKubernetes {
  kind: "existing";
  kubeconfig: pulumi.Input<string>;
}

export interface ClusterArgs {
  boards: ClusterBoard[];
  kubernetes: InstalledKubernetes | ExistingKubernetes;
  /** What the boards' K3s runs pods on: the NVIDIA runtime through a RuntimeClass, or Docker's default. */
  runtime: "docker" | "containerd";
  /** The NVIDIA device plugin's release; undefined deploys none (no GPU to see, the sim stack). */
  devicePluginVersion?: string;
  /** GPU time-slicing replicas per board (`packed` scheduling); undefined for none. */
  timeSlicingReplicas?: number;
}

/**
 * The cluster the workloads run on: K3s across the tuned boards (server first, then each agent), or
 * the lab's own cluster; the registry mirror on every board; GPU access (the NVIDIA runtime, the
 * device plugin); and, at every `up`, each board's node read, failing the update on one that has
 * stopped reporting. Its Kubernetes provider and what the workloads wait for are its outputs.
 */
export class Cluster extends pulumi.ComponentResource {
  public readonly provider: k8s.Provider;
  public readonly kubeconfig: pulumi.Output<string>;
  public readonly serverUrl: pulumi.Output<string>;
  public readonly gpu: GpuRuntime;
  /** Kubernetes objects wait for these (K3s installs, the mirror steps that restart K3s, node labels). */
  public readonly clusterReady: pulumi.Resource[];
  /** The node names once each reports; undefined where the objects are only rendered. */
  public readonly nodesReporting: pulumi.Output<string[]> | undefined;

  constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("edgecall:cluster:Cluster", name, {}, opts);
    // These were the stack's own children before the cluster had a component: their state carries over.
    const child = { parent: this, aliases: [{ parent: pulumi.rootStackResource }] };
    const server = args.boards.find((board) => board.role === "server");
    if (server === undefined) throw new pulumi.ResourceError("Cluster: no board has the server role", this);
    const kubernetes = args.kubernetes;
    let rendersOnly = false;
    if (kubernetes.kind === "install") {
      rendersOnly = kubernetes.renderManifestsTo !== undefined;
      const k3s = new K3sCluster(
        "k3s",
        {
          server,
          agents: args.boards.filter((board) => board !== server),
          version: kubernetes.version,
          runtime: args.runtime,
          airgap: kubernetes.airgap,
          // The model services' NodePorts (6001-6004) and the registry's sit below the default range.
          extraServerArgs: [`--service-node-port-range=${NODE_PORT_RANGE}`, ...kubernetes.extraServerArgs],
          extraAgentArgs: kubernetes.extraAgentArgs,
          renderManifestsTo: kubernetes.renderManifestsTo,
        },
        child,
      );
      const mirror =
        kubernetes.registryMirror === undefined
          ? undefined
          : new RegistryMirror(
              "registry-mirror",
              {
                address: kubernetes.registryMirror,
                runtime: args.runtime,
                boards: args.boards.map((board) => ({
                  nodeName: board.nodeName,
                  role: board.role,
                  connection: board.connection,
                  sudoPassword: board.sudoPassword,
                  install: k3s.installsByNode[board.nodeName],
                })),
              },
              child,
            );
      this.provider = k3s.provider;
      this.kubeconfig = k3s.kubeconfig;
      this.serverUrl = k3s.serverUrl;
      this.clusterReady = [...k3s.installs, ...(mirror?.steps ?? [])];
    } else {
      const existing = new ExistingCluster(
        "existing-cluster",
        {
          kubeconfig: pulumi.secret(kubernetes.kubeconfig),
          nodes: args.boards.map((board) => ({ nodeName: board.nodeName, board: board.board, models: board.models, l4tRelease: board.l4tRelease, ready: board.ready })),
        },
        child,
      );
      this.provider = existing.provider;
      this.kubeconfig = existing.kubeconfig;
      this.serverUrl = existing.serverUrl;
      this.clusterReady = existing.labelled;
    }
    this.gpu = new GpuRuntime(
      "gpu",
      {
        provider: this.provider,
        runtime: args.runtime,
        devicePluginVersion: args.devicePluginVersion,
        timeSlicingReplicas: args.timeSlicingReplicas,
        after: this.clusterReady,
      },
      child,
    );
    this.nodesReporting = rendersOnly
      ? undefined
      : reportingNodes("node-reports", args.boards.map((board) => board.nodeName), this.provider, this.clusterReady, child);
    this.registerOutputs({ kubeconfig: this.kubeconfig, serverUrl: this.serverUrl });
  }
}
