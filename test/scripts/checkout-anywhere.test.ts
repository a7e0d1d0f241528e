import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProgram } from "../sim/boards";
import { skipReason } from "./support";

const repo = path.resolve(__dirname, "../..");
const NAME = "anywhere-nano";
const INDEX = "9";

/**
 * The harness run from a checkout under /tmp, which a board cannot see (each board mounts a /tmp of
 * its own): a cluster board must get what it runs (the K3s stand-in, the Kubernetes binary, the
 * image store) by other paths. A stand-in Kubernetes binary and store are enough to show it.
 */
describe.skipIf(skipReason !== undefined)("the simulated boards from a checkout under /tmp", () => {
  const checkout = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-checkout-"));
  const simBoard = path.join(checkout, "test/sim/sim-board.sh");
  const clusterEnv = path.join(checkout, "cluster.env");
  const env = { ...process.env, EDGECALL_SIM_CLUSTER: clusterEnv };
  const run = (args: string[]) => runProgram(simBoard, args, { env, timeoutMs: 120_000 });
  const onBoard = (script: string) => run(["exec", NAME, "bash", "-c", script]);

  beforeAll(async () => {
    fs.cpSync(path.join(repo, "test/sim"), path.join(checkout, "test/sim"), { recursive: true });
    const kube = path.join(checkout, "kube");
    fs.writeFileSync(kube, '#!/bin/sh\necho "stand-in kube $*"\n', { mode: 0o755 });
    fs.mkdirSync(path.join(checkout, "store/root/io.containerd.content.v1.content"), { recursive: true });
    fs.writeFileSync(path.join(checkout, "store/root/io.containerd.content.v1.content/blob"), "an image layer\n");
    fs.writeFileSync(clusterEnv, `KUBE_BIN=${kube}\nCONTAINERD_STORE=${path.join(checkout, "store")}\n`);
    await run(["down", NAME]);
    const up = await run(["up", NAME, INDEX, "nano", "R32.7.1"]);
    expect(up.code, up.stderr).toBe(0);
  });

  afterAll(async () => {
    await run(["down", NAME]);
    fs.rmSync(checkout, { recursive: true, force: true });
  });

  it("is out of the board's sight, so the board is no help from the checkout's paths", async () => {
    const seen = await onBoard(`test -e ${simBoard} && echo visible || echo hidden`);
    expect(seen.stdout.trim()).toBe("hidden");
  });

  it("gives the board the K3s stand-in and the Kubernetes binary at paths of its own", async () => {
    const result = await onBoard('. /etc/edgecall-sim/cluster && "$KUBE_BIN" version && bash "$LAUNCHER_DIR/launcher.sh" unknown-command');
    expect(result.stdout).toContain("stand-in kube version");
    expect(result.stderr).toContain("usage: launcher.sh server|agent|killall");
    expect(result.code).toBe(1);
    expect((await onBoard("touch /opt/edgecall-sim/bin/kube")).code).not.toBe(0);
  });

  it("gives the board its own copy of the image store, sharing the files", async () => {
    const result = await onBoard("cat /run/edgecall-sim/plain/containerd/io.containerd.content.v1.content/blob");
    expect(result.stdout).toBe("an image layer\n");
    const links = fs.statSync(path.join(checkout, "store/root/io.containerd.content.v1.content/blob")).nlink;
    expect(links).toBe(2);
  });
});
