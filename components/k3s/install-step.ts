import * as path from "path";
import type { HostStep } from "../remote/remote-step";
import { urlHost } from "../remote/url-host";
import { besideModule } from "../../domain/project-files";

const scripts = besideModule(__dirname, "scripts");

/** Where air-gap files are copied on a board (as the SSH user) before the install step moves them into place. */
export const AIRGAP_REMOTE_DIR = "/var/tmp/edgecall-k3s-airgap";

/** File names inside AIRGAP_REMOTE_DIR, as the install script expects them. */
export const AIRGAP_FILES = { binary: "k3s", images: "k3s-airgap-images.tar.zst", installScript: "install.sh" } as const;

export interface K3sInstall {
  role: "server" | "agent";
  version: string;
  runtime: "docker" | "containerd";
  source: "online" | "airgap";
  nodeName: string;
  labels: Record<string, string>;
  /** Server URL (`https://host:6443`), for agents. */
  serverUrl?: string;
  /** Extra names the server certificate is valid for (the address Pulumi reaches it at). */
  tlsSan?: string;
  extraArgs: string[];
}

/** The install step of one board (the join token goes on stdin as the secret K3S_TOKEN). */
export function installStep(install: K3sInstall): HostStep {
  if (install.role === "agent" && install.serverUrl === undefined) {
    throw new Error(`K3s agent ${install.nodeName} needs the server URL`);
  }
  for (const arg of install.extraArgs) {
    if (/\s/.test(arg)) throw new Error(`K3s extra argument ${JSON.stringify(arg)} must not contain spaces`);
  }
  const labels = Object.entries(install.labels).map(([key, value]) => `${key}=${value}`);
  return {
    name: `k3s-${install.role}`,
    scriptPath: path.join(scripts, "k3s-install.sh"),
    env: {
      EDGECALL_K3S_ROLE: install.role,
      EDGECALL_K3S_VERSION: install.version,
      EDGECALL_K3S_RUNTIME: install.runtime,
      EDGECALL_K3S_SOURCE: install.source,
      EDGECALL_K3S_AIRGAP_DIR: AIRGAP_REMOTE_DIR,
      EDGECALL_K3S_SERVER_URL: install.serverUrl ?? "",
      EDGECALL_NODE_NAME: install.nodeName,
      EDGECALL_NODE_LABELS: labels.join(" "),
      EDGECALL_K3S_TLS_SAN: install.tlsSan ?? "",
      EDGECALL_K3S_EXTRA_ARGS: install.extraArgs.join(" "),
    },
  };
}

/** The read-only step that prints the server's kubeconfig (base64) as the fact `kubeconfig_b64`. */
export function kubeconfigStep(): HostStep {
  return { name: "k3s-kubeconfig", scriptPath: path.join(scripts, "k3s-kubeconfig.sh"), env: {} };
}

/**
 * The kubeconfig K3s writes points at 127.0.0.1; Pulumi and users reach the server at its board
 * address instead.
 */
export function rewriteKubeconfigServer(kubeconfig: string, serverHost: string): string {
  const rewritten = kubeconfig.replace(/server:\s*https:\/\/(127\.0\.0\.1|localhost|\[::1\]):(\d+)/g, `server: https://${urlHost(serverHost)}:$2`);
  if (!/server:\s*https:\/\//.test(rewritten)) throw new Error("the K3s kubeconfig has no server address");
  return rewritten;
}

/**
 * The server-side record of an agent: its delete removes the node from the cluster (the board left,
 * or was replaced by one at another address), so that a board joining later under the same name is
 * not refused by K3s's node-password check. The agent's address is part of it, so a new address
 * replaces it.
 */
export function memberStep(nodeName: string, agentHost: string): HostStep {
  return {
    name: "k3s-member",
    scriptPath: path.join(scripts, "k3s-member.sh"),
    env: { EDGECALL_NODE_NAME: nodeName, EDGECALL_NODE_HOST: agentHost },
    replaceOn: ["EDGECALL_NODE_NAME", "EDGECALL_NODE_HOST"],
  };
}
