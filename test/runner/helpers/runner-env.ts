import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";

export const PROJECT = path.resolve(__dirname, "../../..");
/** The runner tier's virtual environment (test/setup/install-runner-tier.sh). */
export const VENV = path.join(PROJECT, ".venv-runner");

/** Why the tier cannot run (outside CI its tests skip with it), or undefined; in CI a missing venv fails the run. */
export function venvMissing(program = "edgecall-runner"): string | undefined {
  const missing = fs.existsSync(path.join(VENV, "bin", program)) ? undefined : `${VENV}/bin/${program} (run test/setup/install-runner-tier.sh)`;
  if (missing !== undefined && process.env.CI === "true") throw new Error(`the runner tier needs ${missing}`);
  return missing;
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

/** `edgecall-runner serve --model ctc-test` on 127.0.0.1, once /readyz answers 200; its base URL and process. */
export async function startTestServer(batchSize = 4, extraArgs: string[] = []): Promise<{ base: string; port: number; child: ChildProcess }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(path.join(VENV, "bin", "edgecall-runner"), ["serve", "--model", "ctc-test", "--host", "127.0.0.1", "--port", String(port), "--batch-size", String(batchSize), ...extraArgs]);
  for (let i = 0; i < 100; i++) {
    if ((await fetch(`${base}/readyz`).then((r) => r.status, () => 0)) === 200) return { base, port, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error("the server never became ready");
}
