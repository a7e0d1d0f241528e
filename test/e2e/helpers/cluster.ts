import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { FIXTURES } from "../../sim/fixture-dataset";
import { rehearsalSkipReason } from "./rehearsal";

/** What the real-cluster rehearsal needs beyond the rehearsal's toolchain and root. */
const COMMANDS = ["containerd", "runc", "etcd", "ctr", "buildah", "skopeo", "debootstrap", "go", "minimap2", "iptables", "openssl", "curl"];

function missing(): string[] {
  const absent = COMMANDS.filter((command) => spawnSync("bash", ["-c", `command -v ${command}`], { env: { PATH: `${process.env.PATH}:/usr/sbin:/sbin` } }).status !== 0);
  if (!fs.existsSync(path.join(FIXTURES, "fast5/r941_klebsiella_single"))) absent.push(`the fixtures (${FIXTURES})`);
  if (!fs.existsSync("/usr/lib/cni/bridge")) absent.push("the CNI plugins (/usr/lib/cni)");
  return absent;
}

const absent = missing();
if (absent.length > 0 && process.env.CI === "true") {
  throw new Error(`the e2e tier's real-cluster rehearsal needs ${absent.join(", ")}: run test/setup/install-e2e-tier.sh as root`);
}
/** Why the real-cluster rehearsal cannot run here (outside CI it is skipped with this reason), or undefined. */
export const clusterSkipReason =
  rehearsalSkipReason ?? (absent.length > 0 ? `real-cluster rehearsal skipped: needs ${absent.join(", ")} (run test/setup/install-e2e-tier.sh as root)` : undefined);
