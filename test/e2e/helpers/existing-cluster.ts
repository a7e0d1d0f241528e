import * as fs from "fs";
import * as path from "path";
import { rewriteKubeconfigServer } from "../../../components/k3s";
import { NODE_PORT_RANGE } from "../../../domain/models";
import { SimBoard, boardShellOk, simAirgapDir } from "../../sim/boards";

/** A lab's own K3s token: the cluster below is the lab's, not edgecall's. */
export const LAB_TOKEN = "lab-own-cluster-token-0123456789";

function yamlString(value: string): string {
  return JSON.stringify(value);
}

/**
 * Installs the K3s stand-in on the boards by hand, as a lab runs its own K3s: config.yaml, the
 * binary and K3s's install.sh, with nothing of edgecall's. Its API server allows the NodePorts
 * edgecall's services take (a cluster that does not would refuse them). Returns the kubeconfig,
 * its server rewritten to the server board's address, as a user copies it off the board.
 */
export async function installLabCluster(server: SimBoard, agents: SimBoard[]): Promise<string> {
  const binary = fs.readFileSync(path.join(simAirgapDir, "k3s"), "utf8");
  const installer = fs.readFileSync(path.join(simAirgapDir, "install.sh"), "utf8");
  const install = async (board: SimBoard, role: "server" | "agent", config: string[]) => {
    await boardShellOk(board, "cat > /usr/local/bin/k3s && chmod 755 /usr/local/bin/k3s", binary);
    await boardShellOk(board, "mkdir -p /etc/rancher/k3s && (umask 077 && cat > /etc/rancher/k3s/config.yaml)", `${config.join("\n")}\n`);
    await boardShellOk(board, `INSTALL_K3S_SKIP_DOWNLOAD=true INSTALL_K3S_EXEC=${role} sh -s`, installer);
  };
  await install(server, "server", [
    `token: ${yamlString(LAB_TOKEN)}`,
    `node-name: ${yamlString(server.name)}`,
    `service-node-port-range: ${yamlString(NODE_PORT_RANGE)}`,
  ]);
  for (const agent of agents) {
    await install(agent, "agent", [
      `token: ${yamlString(LAB_TOKEN)}`,
      `server: ${yamlString(`https://${server.host}:6443`)}`,
      `node-name: ${yamlString(agent.name)}`,
    ]);
  }
  return rewriteKubeconfigServer(await boardShellOk(server, "cat /etc/rancher/k3s/k3s.yaml"), server.host);
}

/**
 * K3s's own uninstall scripts, agents first, as the lab would take its cluster down, then the
 * directories they leave empty (the lab's business, not edgecall's).
 */
export async function uninstallLabCluster(server: SimBoard, agents: SimBoard[]): Promise<void> {
  const leftovers = "for dir in /etc/rancher /var/lib/rancher; do [ -d $dir ] && [ -z \"$(ls -A $dir)\" ] && rmdir $dir; done; true";
  const uninstall = (script: string) => `${script} >/tmp/uninstall.log 2>&1 || { cat /tmp/uninstall.log >&2; exit 1; }; ${leftovers}`;
  for (const agent of agents) await boardShellOk(agent, uninstall("/usr/local/bin/k3s-agent-uninstall.sh"));
  await boardShellOk(server, uninstall("/usr/local/bin/k3s-uninstall.sh"));
}
