import * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { BoardKind, ModelName } from "../../infra/models";
import { BoardConnection, connectionArgs, hostStepCommand } from "../remote/host-step-command";
import { AIRGAP_FILES, AIRGAP_REMOTE_DIR, installStep, kubeconfigStep, rewriteKubeconfigServer } from "./install-step";
import { nodeLabels } from "./node-labels";

/** A tuned board joining the cluster. */
export interface K3sClusterNode {
  nodeName: string;
  board: BoardKind;
  models: readonly ModelName[];
  connection: BoardConnection;
  /** The sudo password of the SSH user (a Pulumi secret). */
  sudoPassword?: pulumi.Input<string>;
  /** From preflight; becomes the `edgecall.io/l4t` label. */
  l4tRelease: pulumi.Input<string>;
  /** K3s is installed only after this resource (the board's last tuning step). */
  ready: pulumi.Resource;
}

/** Local files for an air-gapped install, copied to every board instead of downloading. */
export interface K3sAirgapFiles {
  /** K3s arm64 binary. */
  binary: string;
  /** Image tarball (`k3s-airgap-images-arm64.tar.zst`). */
  images: string;
  /** The K3s install script. */
  installScript: string;
}

export interface K3sClusterArgs {
  server: K3sClusterNode;
  agents: K3sClusterNode[];
  /** Pinned K3s release, e.g. `v1.30.6+k3s1`. */
  version: string;
  /** `docker` (the JetPack 4 path) or containerd with the NVIDIA runtime class. */
  runtime: "docker" | "containerd";
  /** Download from get.k3s.io, or copy these local files (air-gap). */
  airgap?: K3sAirgapFiles;
  extraServerArgs: string[];
  extraAgentArgs: string[];
  /** Render Kubernetes objects into this directory instead of applying them to the cluster. */
  renderManifestsTo?: string;
}

/**
 * K3s on the boards: the server first, then the agents joining it with a generated token. Exposes
 * the kubeconfig (secret, server address rewritten) and a Kubernetes provider for later components.
 */
export class K3sCluster extends pulumi.ComponentResource {
  /** `https://<server host>:6443`. */
  public readonly serverUrl: pulumi.Output<string>;
  /** Kubeconfig for the cluster (a secret). */
  public readonly kubeconfig: pulumi.Output<string>;
  public readonly provider: k8s.Provider;
  /** The install commands of every board, server first. */
  public readonly installs: command.remote.Command[];
  /** Each board's install command by node name. */
  public readonly installsByNode: Record<string, command.remote.Command>;

  constructor(name: string, args: K3sClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("edgecall:k3s:K3sCluster", name, {}, opts);
    const token = new random.RandomPassword(`${name}-token`, { length: 48, special: false }, { parent: this });
    this.serverUrl = pulumi.interpolate`https://${args.server.connection.host}:6443`;

    const server = this.installNode(`${name}-${args.server.nodeName}`, args, args.server, "server", token, []);
    const agents = args.agents.map((agent) =>
      this.installNode(`${name}-${agent.nodeName}`, args, agent, "agent", token, [server]),
    );
    this.installs = [server, ...agents];
    this.installsByNode = Object.fromEntries(
      [args.server, ...args.agents].map((node, i) => [node.nodeName, this.installs[i]]),
    );

    const kubeconfigRead = hostStepCommand(
      `${name}-kubeconfig`,
      {
        connection: args.server.connection,
        step: kubeconfigStep(),
        sudoPassword: args.server.sudoPassword,
        undoable: false,
        secretOutput: true,
      },
      { parent: this, dependsOn: [server] },
    );
    this.kubeconfig = pulumi.secret(
      kubeconfigRead.facts.apply((facts) => {
        const encoded = facts.kubeconfig_b64;
        if (encoded === undefined) throw new Error(`K3s server ${args.server.nodeName} did not return a kubeconfig`);
        return rewriteKubeconfigServer(Buffer.from(encoded, "base64").toString("utf8"), args.server.connection.host);
      }),
    );
    this.provider = new k8s.Provider(
      `${name}-provider`,
      args.renderManifestsTo === undefined
        ? { kubeconfig: this.kubeconfig }
        : { renderYamlToDirectory: args.renderManifestsTo },
      { parent: this },
    );
    this.registerOutputs({ serverUrl: this.serverUrl, kubeconfig: this.kubeconfig });
  }

  private installNode(
    name: string,
    args: K3sClusterArgs,
    node: K3sClusterNode,
    role: "server" | "agent",
    token: random.RandomPassword,
    after: pulumi.Resource[],
  ): command.remote.Command {
    const copies = args.airgap === undefined ? [] : this.copyAirgapFiles(name, node, args.airgap);
    const step = pulumi.output(node.l4tRelease).apply((l4t) =>
      installStep({
        role,
        version: args.version,
        runtime: args.runtime,
        source: args.airgap === undefined ? "online" : "airgap",
        nodeName: node.nodeName,
        labels: nodeLabels(node.board, l4t, node.models),
        serverUrl: role === "agent" ? `https://${args.server.connection.host}:6443` : undefined,
        tlsSan: role === "server" ? node.connection.host : undefined,
        extraArgs: role === "server" ? args.extraServerArgs : args.extraAgentArgs,
      }),
    );
    return hostStepCommand(
      `${name}-install`,
      {
        connection: node.connection,
        step,
        sudoPassword: node.sudoPassword,
        secrets: { K3S_TOKEN: token.result },
        undoable: true,
      },
      { parent: this, dependsOn: [node.ready, ...copies, ...after] },
    ).command;
  }

  /**
   * Copies the air-gap files as the SSH user into a directory that a command of its own creates
   * and, on destroy, removes once the install step and the copies are gone.
   */
  private copyAirgapFiles(name: string, node: K3sClusterNode, files: K3sAirgapFiles): command.remote.CopyToRemote[] {
    const directory = new command.remote.Command(
      `${name}-airgap-dir`,
      {
        connection: connectionArgs(node.connection),
        create: `install -d -m 700 ${AIRGAP_REMOTE_DIR}`,
        delete: `rm -rf ${AIRGAP_REMOTE_DIR}`,
        addPreviousOutputInEnv: false,
      },
      { parent: this, dependsOn: [node.ready] },
    );
    return (Object.keys(AIRGAP_FILES) as (keyof typeof AIRGAP_FILES)[]).map(
      (key) =>
        new command.remote.CopyToRemote(
          `${name}-airgap-${key}`,
          {
            connection: connectionArgs(node.connection),
            source: new pulumi.asset.FileAsset(files[key]),
            remotePath: `${AIRGAP_REMOTE_DIR}/${AIRGAP_FILES[key]}`,
          },
          { parent: this, dependsOn: [directory] },
        ),
    );
  }
}
