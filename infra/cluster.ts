import * as path from "path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Cluster } from "../components/cluster";
import type { GpuRuntime } from "../components/gpu-runtime";
import { JetsonNode } from "../components/jetson-node";
import type { K3sClusterNode } from "../components/k3s";
import type { BoardConnection } from "../components/remote/host-step";
import type { NodeConfig, StackConfig } from "./config";
import { inClusterRegistryAddress } from "../components/model-image/config";

/** What the `nodes` stack output says of each board. */
export interface NodeSummary {
  name: string;
  host: string;
  role: "server" | "agent";
  board: string;
  l4tRelease: string;
  powerMode: string;
}

/** A board as the workload components need it: its config and how to reach it. */
export interface ClusterMember {
  node: NodeConfig;
  connection: BoardConnection;
  sudoPassword?: pulumi.Output<string>;
  /** The board's last tuning step. */
  tuned: pulumi.Resource;
  /** The L4T release preflight read on the board. */
  l4tRelease: pulumi.Output<string>;
  /** The nvpmodel mode after tuning, `<id> (<name>)`. */
  powerMode: pulumi.Output<string>;
}

/** The boards and the cluster on them, as the workloads and the outputs need them. */
export interface ProvisionedCluster {
  nodes: pulumi.Output<NodeSummary[]>;
  kubeconfig: pulumi.Output<string>;
  serverUrl: pulumi.Output<string>;
  /** Kubernetes provider of the cluster, edgecall's K3s or the lab's own (`k3s.existing`). */
  provider: k8s.Provider;
  gpu: GpuRuntime;
  boards: JetsonNode[];
  members: ClusterMember[];
  /** The server's member. */
  server: ClusterMember;
  /**
   * The node names, once each board's node reports to the cluster; fails the update naming a board
   * whose kubelet has stopped. Undefined where objects are only rendered.
   */
  nodesReporting: pulumi.Output<string[]> | undefined;
  /** Kubernetes objects wait for these (K3s installs, the mirror steps that restart K3s, node labels). */
  clusterReady: pulumi.Resource[];
}

function connectionFor(node: NodeConfig, config: StackConfig): BoardConnection {
  return {
    host: node.host,
    port: node.port,
    user: node.user ?? config.ssh.user,
    privateKey: pulumi.secret(config.ssh.privateKey),
    hostKey: node.hostKey,
    dialErrorLimit: config.ssh.dialErrorLimit,
    perDialTimeout: config.ssh.perDialTimeout,
  };
}

/** Boards tuned over SSH, K3s across them (or the lab's existing cluster), and GPU access in the cluster. */
export function buildCluster(config: StackConfig, projectDir: string): ProvisionedCluster {
  const sudoPassword = config.ssh.sudoPassword === undefined ? undefined : pulumi.secret(config.ssh.sudoPassword);
  const specs: BoardSpec[] = config.nodes.map((node) => {
    const connection = connectionFor(node, config);
    const board = new JetsonNode(node.name, {
      nodeName: node.name,
      connection,
      sudoPassword,
      tuning: {
        board: node.board,
        powerMode: node.powerMode ?? config.power.nvpmodel[node.board],
        jetsonClocks: config.power.jetsonClocks,
        fan: config.power.fan,
        swapMb: config.power.swapMb,
        headless: config.power.headless,
        dockerDefaultRuntime: config.k3s.runtime === "docker",
        minFreeDiskMb: config.gpu.minFreeDiskMb,
        installsK3s: config.k3s.existing === undefined,
      },
    });
    const clusterNode: K3sClusterNode = {
      nodeName: node.name,
      board: node.board,
      models: node.models,
      connection,
      sudoPassword,
      l4tRelease: board.l4tRelease,
      ready: board.ready,
    };
    return { node, board, clusterNode };
  });

  const install = config.k3s.install;
  const serverNode = config.nodes.find((node) => node.role === "server");
  if (serverNode === undefined) throw new pulumi.RunError("invalid edgecall config: no node has role server");
  const cluster = new Cluster("cluster", {
    boards: specs.map(({ node, clusterNode }) => ({ ...clusterNode, role: node.role })),
    kubernetes:
      config.k3s.existing !== undefined
        ? { kind: "existing", kubeconfig: config.k3s.existing.kubeconfig }
        : {
            kind: "install",
            version: config.k3s.version,
            airgap:
              install.source === "airgap"
                ? {
                    binary: path.resolve(projectDir, install.binary),
                    images: path.resolve(projectDir, install.images),
                    installScript: path.resolve(projectDir, install.installScript),
                  }
                : undefined,
            extraServerArgs: config.k3s.extraServerArgs,
            extraAgentArgs: config.k3s.extraAgentArgs,
            renderManifestsTo: config.k3s.renderManifestsTo === undefined ? undefined : path.resolve(projectDir, config.k3s.renderManifestsTo),
            registryMirror: inClusterRegistryAddress(config.images, serverNode.host),
          },
    runtime: config.k3s.runtime,
    devicePluginVersion: config.gpu.devicePlugin ? config.gpu.devicePluginVersion : undefined,
    timeSlicingReplicas: config.scheduling.mode === "packed" ? config.scheduling.timeSlicingReplicas : undefined,
  });

  const nodes = pulumi.all(
    specs.map(({ node, board }) =>
      pulumi.all([board.l4tRelease, board.powerMode]).apply(([l4tRelease, powerMode]) => ({
        name: node.name,
        host: node.host,
        role: node.role,
        board: node.board,
        l4tRelease,
        powerMode,
      })),
    ),
  );
  const members = specs.map(({ node, board, clusterNode }) => ({
    node,
    connection: clusterNode.connection,
    sudoPassword,
    tuned: board.ready,
    l4tRelease: board.l4tRelease,
    powerMode: board.powerMode,
  }));
  return {
    nodes,
    kubeconfig: cluster.kubeconfig,
    serverUrl: cluster.serverUrl,
    provider: cluster.provider,
    gpu: cluster.gpu,
    boards: specs.map((s) => s.board),
    members,
    server: members[config.nodes.indexOf(serverNode)],
    nodesReporting: cluster.nodesReporting,
    clusterReady: cluster.clusterReady,
  };
}

interface BoardSpec {
  node: NodeConfig;
  board: JetsonNode;
  clusterNode: K3sClusterNode;
}
