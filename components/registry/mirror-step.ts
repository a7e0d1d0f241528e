import type { HostStep } from "../remote/remote-step";
import { besideModule } from "../../domain/project-files";

/** The host step that lets one board pull from the in-cluster registry at `registry` (host:port). */
export function registryMirrorStep(registry: string, runtime: "docker" | "containerd", role: "server" | "agent"): HostStep {
  return {
    name: "registry-mirror",
    scriptPath: besideModule(__dirname, "scripts", "registry-mirror.sh"),
    env: {
      EDGECALL_REGISTRY: registry,
      EDGECALL_K3S_RUNTIME: runtime,
      EDGECALL_K3S_SERVICE: role === "server" ? "k3s" : "k3s-agent",
    },
  };
}
