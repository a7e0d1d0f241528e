import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { BoardKind, ModelName } from "../../domain/models";
import { BoardConnection, HostStepResource, fileSha256, hostStep } from "../remote/host-step";
import type { StepUpload } from "../remote/remote-step";
import { AIRGAP_FILES, AIRGAP_REMOTE_DIR, installStep, kubeconfigStep, memberStep, rewriteKubeconfigServer } from "./install-step";
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
 * K3s on the boards: the server first, then the agents one at a time, joining it with a generated
 * token. One at a time because an upgrade (a new `version`) then replaces K3s board by board, and a
 * board that fails to come back stops the upgrade before the next one is touched. Each agent is
 * also a member on the server, whose delete removes its node from the cluster, so a replaced board
 * can join again under the same name. Exposes the kubeconfig (secret, server address rewritten)
 * and a Kubernetes provider for later components.
 */
export class K3sCluster extends pulumi.ComponentResource {
  /** `https://<server host>:6443`. */
  public readonly serverUrl: pulumi.Output<string>;
  /** Kubeconfig for the cluster (a secret). */
  public readonly kubeconfig: pulumi.Output<string>;
  public readonly provider: k8s.Provider;
  /** The install steps of every board, server first. */
  public readonly installs: HostStepResource[];
  /** Each board's install step by node name. */
  public readonly installsByNode: Record<string, HostStepResource>;

  constructor(name: string, args: K3sClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("edgecall:k3s:K3sCluster", name, {}, opts);
    const token = new random.RandomPassword(`${name}-token`, { length: 48, special: false }, { parent: this });
    this.serverUrl = pulumi.interpolate`https://${args.server.connection.host}:6443`;

    const uploads = args.airgap === undefined ? undefined : airgapUploads(args.airgap);
    const server = this.installNode(`${name}-${args.server.nodeName}`, args, args.server, "server", token, uploads, []);
    const agents: HostStepResource[] = [];
    for (const agent of args.agents) {
      const previous = agents.length > 0 ? agents[agents.length - 1] : server;
      agents.push(this.installNode(`${name}-${agent.nodeName}`, args, agent, "agent", token, uploads, [server, previous]));
    }
    for (const [i, agent] of args.agents.entries()) {
      hostStep(
        `${name}-${agent.nodeName}-member`,
        {
          connection: args.server.connection,
          step: memberStep(agent.nodeName, agent.connection.host),
          sudoPassword: args.server.sudoPassword,
          undoable: true,
        },
        { parent: this, dependsOn: [server, agents[i]] },
      );
    }
    this.installs = [server, ...agents];
    this.installsByNode = Object.fromEntries(
      [args.server, ...args.agents].map((node, i) => [node.nodeName, this.installs[i]]),
    );

    const kubeconfigRead = hostStep(
      `${name}-kubeconfig`,
      {
        connection: args.server.connection,
        step: kubeconfigStep(),
        sudoPassword: args.server.sudoPassword,
        undoable: false,
        secretFacts: true,
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
    uploads: StepUpload[] | undefined,
    after: pulumi.Resource[],
  ): HostStepResource {
    const step = pulumi.output(node.l4tRelease).apply((l4t) => ({
      ...installStep({
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
      uploads: uploads === undefined ? undefined : { dir: AIRGAP_REMOTE_DIR, files: uploads },
    }));
    return hostStep(
      `${name}-install`,
      {
        connection: node.connection,
        step,
        sudoPassword: node.sudoPassword,
        secrets: { K3S_TOKEN: token.result },
        undoable: true,
      },
      { parent: this, dependsOn: [node.ready, ...after] },
    ).resource;
  }
}

/** The air-gap files as the install step copies them to a board (the SSH user's own directory). */
function airgapUploads(files: K3sAirgapFiles): StepUpload[] {
  return (Object.keys(AIRGAP_FILES) as (keyof typeof AIRGAP_FILES)[]).map((key) => ({
    source: files[key],
    target: AIRGAP_FILES[key],
    sha256: fileSha256(files[key]),
  }));
}
