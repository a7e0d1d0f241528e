import * as path from "path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { GpuRuntime } from "../components/gpu-runtime";
import { JetsonNode } from "../components/jetson-node";
import { ExistingCluster, K3sCluster, K3sClusterNode, reportingNodes } from "../components/k3s";
import { RegistryMirror } from "../components/registry";
import type { BoardConnection } from "../components/remote/host-step";
import type { NodeConfig, StackConfig } from "./config";
import { inClusterRegistryAddress } from "../components/model-image/config";
import { NODE_PORT_RANGE } from "../domain/models";

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

export interface Cluster {
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
export function buildCluster(config: StackConfig, projectDir: string): Cluster {
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

  const server = specs.find((spec) => spec.node.role === "server");
  if (server === undefined) throw new pulumi.RunError("invalid edgecall config: no node has role server");
  const kube = config.k3s.existing === undefined ? installK3s(config, projectDir, specs, server, sudoPassword) : adoptCluster(config.k3s.existing.kubeconfig, specs);

  const gpu = new GpuRuntime("gpu", {
    provider: kube.provider,
    runtime: config.k3s.runtime,
    devicePluginVersion: config.gpu.devicePlugin ? config.gpu.devicePluginVersion : undefined,
    timeSlicingReplicas: config.scheduling.mode === "packed" ? config.scheduling.timeSlicingReplicas : undefined,
    after: kube.clusterReady,
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
    kubeconfig: kube.kubeconfig,
    serverUrl: kube.serverUrl,
    provider: kube.provider,
    gpu,
    boards: specs.map((s) => s.board),
    members,
    server: members[specs.indexOf(server)],
    nodesReporting:
      config.k3s.renderManifestsTo === undefined
        ? reportingNodes("node-reports", config.nodes.map((node) => node.name), kube.provider, kube.clusterReady)
        : undefined,
    clusterReady: kube.clusterReady,
  };
}

interface BoardSpec {
  node: NodeConfig;
  board: JetsonNode;
  clusterNode: K3sClusterNode;
}

/** How the workloads reach the cluster, and what they wait for. */
interface KubernetesAccess {
  provider: k8s.Provider;
  kubeconfig: pulumi.Output<string>;
  serverUrl: pulumi.Output<string>;
  clusterReady: pulumi.Resource[];
}

/** K3s installed by edgecall on the tuned boards, and the in-cluster registry's mirror on each. */
function installK3s(config: StackConfig, projectDir: string, specs: BoardSpec[], server: BoardSpec, sudoPassword: pulumi.Output<string> | undefined): KubernetesAccess {
  const install = config.k3s.install;
  const k3s = new K3sCluster("k3s", {
    server: server.clusterNode,
    agents: specs.filter((spec) => spec !== server).map((spec) => spec.clusterNode),
    version: config.k3s.version,
    runtime: config.k3s.runtime,
    airgap:
      install.source === "airgap"
        ? {
            binary: path.resolve(projectDir, install.binary),
            images: path.resolve(projectDir, install.images),
            installScript: path.resolve(projectDir, install.installScript),
          }
        : undefined,
    // The model services' NodePorts (6001-6004) and the registry's sit below the default range.
    extraServerArgs: [`--service-node-port-range=${NODE_PORT_RANGE}`, ...config.k3s.extraServerArgs],
    extraAgentArgs: config.k3s.extraAgentArgs,
    renderManifestsTo: config.k3s.renderManifestsTo === undefined ? undefined : path.resolve(projectDir, config.k3s.renderManifestsTo),
  });

  const registryAddress = inClusterRegistryAddress(config.images, server.node.host);
  const mirror =
    registryAddress === undefined
      ? undefined
      : new RegistryMirror("registry-mirror", {
          address: registryAddress,
          runtime: config.k3s.runtime,
          boards: specs.map(({ node, clusterNode }) => ({
            nodeName: node.name,
            role: node.role,
            connection: clusterNode.connection,
            sudoPassword,
            install: k3s.installsByNode[node.name],
          })),
        });
  return {
    provider: k3s.provider,
    kubeconfig: k3s.kubeconfig,
    serverUrl: k3s.serverUrl,
    clusterReady: [...k3s.installs, ...(mirror?.steps ?? [])],
  };
}

/** The lab's own cluster (`k3s.existing`): nothing installed, the boards' nodes labelled. */
function adoptCluster(kubeconfig: string, specs: BoardSpec[]): KubernetesAccess {
  const cluster = new ExistingCluster("existing-cluster", {
    kubeconfig: pulumi.secret(kubeconfig),
    nodes: specs.map(({ clusterNode }) => ({
      nodeName: clusterNode.nodeName,
      board: clusterNode.board,
      models: clusterNode.models,
      l4tRelease: clusterNode.l4tRelease,
      ready: clusterNode.ready,
    })),
  });
  return { provider: cluster.provider, kubeconfig: cluster.kubeconfig, serverUrl: cluster.serverUrl, clusterReady: cluster.labelled };
}
