import { spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";

/** A throw-away PostgreSQL server on 127.0.0.1 for the db tests (Debian's `postgresql` package). */
export interface TestPostgres {
  url: string;
  stop(): void;
}

function binDir(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!fs.existsSync(root)) return undefined;
  const versions = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a));
  return versions.length === 0 ? undefined : path.join(root, versions[0], "bin");
}

/** Why no test server can start here, or undefined. */
export function postgresMissing(): string | undefined {
  if (binDir() === undefined) return "PostgreSQL server binaries (/usr/lib/postgresql/*/bin): run test/setup/install-benchmarks-tier.sh";
  if (process.getuid?.() === 0 && spawnSync("id", ["postgres"]).status !== 0) return "the postgres system user";
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Runs as the postgres user when this process is root: the server refuses to run as root. */
function run(command: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const result = asRoot
    ? spawnSync("su", ["postgres", "-s", "/bin/sh", "-c", [command, ...args].map((a) => `'${a}'`).join(" ")], { encoding: "utf8", timeout: 60_000 })
    : spawnSync(command, args, { encoding: "utf8", timeout: 60_000 });
  if (result.status !== 0) throw new Error(`${path.basename(command)} failed: ${result.stderr || result.stdout}`);
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = binDir();
  if (bin === undefined) throw new Error("PostgreSQL is not installed");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-pg-"));
  fs.chmodSync(dir, 0o777);
  const data = path.join(dir, "data");
  const port = await freePort();
  if (process.getuid?.() === 0) spawnSync("chown", ["postgres", dir]);
  run(path.join(bin, "initdb"), ["-D", data, "-U", "edgecall", "--auth=md5", `--pwfile=${writePassword(dir)}`]);
  run(path.join(bin, "pg_ctl"), ["-D", data, "-l", path.join(dir, "log"), "-w", "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, "start"]);
  return {
    url: `postgres://edgecall:test-db-password@127.0.0.1:${port}/postgres`,
    stop: () => {
      run(path.join(bin, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "stop"]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function writePassword(dir: string): string {
  const file = path.join(dir, "pw");
  fs.writeFileSync(file, "test-db-password\n", { mode: 0o644 });
  return file;
}
