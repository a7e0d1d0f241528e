import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maskUrl } from "../../domain/mask-url";
import type { Summary } from "../../domain/summary";
import { dashboardJson } from "../../components/metrics-store/grafana";
import { summaryFor } from "./helpers/summaries";
import { TestPostgres, postgresMissing, startPostgres } from "./helpers/postgres";

const PROJECT = path.resolve(__dirname, "../..");
const missing = postgresMissing();
if (missing !== undefined && process.env.CI === "true") throw new Error(`the db tests need ${missing}`);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-db-"));

function cli(...args: string[]) {
  const result = spawnSync(path.join(PROJECT, "node_modules/.bin/tsx"), ["benchmarks/cli.ts", "db", ...args], { cwd: PROJECT, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The CLI run without blocking this process, which must keep serving the test's TCP server. */
function cliAsync(...args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(PROJECT, "node_modules/.bin/tsx"), ["benchmarks/cli.ts", "db", ...args], { cwd: PROJECT, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

function runDir(name: string, summary: Summary, samples = 3): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "summary.json"), JSON.stringify(summary));
  const lines = Array.from({ length: samples }, (_v, i) =>
    JSON.stringify({ time: new Date(Date.parse("2026-11-24T10:00:00Z") + i * 1000).toISOString(), cpu: [], temperatures: {}, rails: { POM_5V_IN: { mw: 5000 + i } } }),
  );
  fs.writeFileSync(path.join(dir, "telemetry.jsonl"), `${lines.join("\n")}\n`);
  return dir;
}

describe("edgecall db before any server answers", () => {
  it("masks the password of a URL in any scheme", () => {
    expect(maskUrl("postgres://edgecall:s3cret@db:5432/metrics")).toBe("postgres://***:***@db:5432/metrics");
    expect(maskUrl("postgress://edgecall:s3cret@db/metrics")).toBe("postgress://***:***@db/metrics");
    expect(maskUrl("mysql://root:p@ss@db/metrics")).toBe("mysql://***:***@db/metrics");
    expect(maskUrl("http://alice:S3cretPW@example.org/w.bin?token=TOKEN123")).toBe("http://***:***@example.org/w.bin?***");
    expect(maskUrl("https://example.org/w.bin?X-Amz-Signature=abc#frag")).toBe("https://example.org/w.bin?***#***");
    expect(maskUrl("https://alice@example.org/w.bin")).toBe("https://***@example.org/w.bin");
    expect(maskUrl("https://example.org/w.bin")).toBe("https://example.org/w.bin");
    expect(maskUrl("postgres://db:5432/metrics")).toBe("postgres://db:5432/metrics");
  });

  it.each(["postgress", "mysql"])("refuses a %s:// URL without printing its password", (scheme) => {
    const result = cli("migrate", "--url", `${scheme}://edgecall:s3cret-pw@db:5432/metrics`);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `edgecall db: --url must be a postgres:// or postgresql:// URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE), got ${scheme}://***:***@db:5432/metrics\n`,
    );
  });

  it("names --url and the port when the port is out of range", () => {
    const result = cli("push", "--url", "postgres://edgecall:s3cret-pw@127.0.0.1:99999/metrics", "summary.json");
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("edgecall db: --url postgres://***:***@127.0.0.1:99999/metrics: port 99999 is out of range; give a port from 1 to 65535\n");
  });

  it("gives up on a server that accepts the connection and never answers, naming host:port", async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const result = await cliAsync("migrate", "--url", `postgres://edgecall:s3cret-pw@127.0.0.1:${port}/metrics`, "--timeout-s", "0.5");
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `edgecall db: cannot connect to postgres://***:***@127.0.0.1:${port}/metrics: no answer from 127.0.0.1:${port} within 0.5 s (--timeout-s): check the host and port, or raise --timeout-s\n`,
      );
      expect(sockets.length).toBeGreaterThan(0);
    } finally {
      sockets.forEach((socket) => socket.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("refuses a --timeout-s that is not a positive number", () => {
    const result = cli("migrate", "--url", "postgres://db/metrics", "--timeout-s", "0");
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("edgecall db: --timeout-s must be a positive number of seconds, got 0\n");
  });
});

describe.skipIf(missing !== undefined)("edgecall db against a real PostgreSQL", () => {
  let pg: TestPostgres;
  let client: Client;
  beforeAll(async () => {
    pg = await startPostgres();
    client = new Client({ connectionString: pg.url });
    await client.connect();
  }, 120_000);
  afterAll(async () => {
    await client?.end();
    pg?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("migrates once, and a second migrate applies nothing", async () => {
    const first = cli("migrate", "--url", pg.url);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("applied 001_runs_and_samples.sql");
    const second = cli("migrate", "--url", pg.url);
    expect(second.stdout.trim()).toBe(`postgres://***:***@${pg.url.split("@")[1]}: up to date`);
    const { rows } = await client.query("SELECT count(*)::int AS n FROM schema_migrations");
    expect(rows[0].n).toBe(1);
  });

  it("stores a run and its samples once, however often it is pushed", async () => {
    const dir = runDir("chiron-0", summaryFor("chiron", 0));
    expect(cli("push", "--url", pg.url, dir).code).toBe(0);
    expect(cli("push", "--url", pg.url, dir, path.join(dir, "summary.json")).code).toBe(0);
    const runs = await client.query("SELECT model, repeat, reads, bases_per_s FROM runs WHERE model = 'chiron'");
    expect(runs.rows).toEqual([{ model: "chiron", repeat: 0, reads: 10, bases_per_s: 1000 }]);
    const samples = await client.query("SELECT count(*)::int AS n FROM telemetry_samples");
    expect(samples.rows[0].n).toBe(3);
    const again = cli("push", "--url", pg.url, "--json", dir);
    expect(JSON.parse(again.stdout)).toMatchObject({ pushed: [{ model: "chiron", run_id: "r1", repeat: 0, samples: 3 }] });
  });

  it("updates a pushed run that changed, keeping one row", async () => {
    const dir = runDir("chiron-0b", summaryFor("chiron", 0, 1500));
    expect(cli("push", "--url", pg.url, dir).code).toBe(0);
    const runs = await client.query("SELECT bases_per_s FROM runs WHERE model = 'chiron'");
    expect(runs.rows).toEqual([{ bases_per_s: 1500 }]);
  });

  it("answers the Grafana dashboard's queries from the migrated schema, one series per model", async () => {
    // sacall has every figure; the chiron run pushed above has neither accuracy nor energy.
    const sacall: Summary = {
      ...summaryFor("sacall", 0),
      accuracy: { reads: 10, bases: 60000, aligned_reads: 9, unaligned_fraction: 0.1, median_identity: 0.91, mean_identity: 0.9, mismatch_rate: 0.04, insertion_rate: 0.03, deletion_rate: 0.03 },
      energy: { rail: "POM_5V_IN", joules: 300, mean_watts: 5, seconds: 60, joules_per_read: 30, joules_per_megabase: 5000, above_idle: null, per_rail_mean_watts: { POM_5V_IN: 5 } },
    };
    expect(cli("push", "--url", pg.url, runDir("sacall-0", sacall)).code).toBe(0);
    const dashboard = JSON.parse(dashboardJson()) as { panels: Array<{ title: string; targets: Array<{ rawSql: string }> }> };
    expect(dashboard.panels.map((p) => p.title)).toEqual(["Throughput (bases/s)", "Median read identity", "Energy (J per megabase)"]);
    const expected: Record<string, string[]> = { "Throughput (bases/s)": ["chiron", "sacall"], "Median read identity": ["sacall"], "Energy (J per megabase)": ["sacall"] };
    for (const panel of dashboard.panels) {
      const { rows } = await client.query(panel.targets[0].rawSql);
      const models = new Set(rows.map((row: { metric: string }) => row.metric));
      expect([...models].sort(), panel.title).toEqual(expected[panel.title]);
      for (const row of rows) {
        expect(row.time, panel.title).toBeInstanceOf(Date);
        expect(typeof row.value, panel.title).toBe("number");
      }
    }
  });

  it("refuses a file that is not a summary before touching the database", async () => {
    const bad = path.join(tmp, "bad.json");
    fs.writeFileSync(bad, JSON.stringify({ model: "x" }));
    const good = runDir("rodan-0", summaryFor("rodan", 0));
    const result = cli("push", "--url", pg.url, good, bad);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(/bad\.json: not an edgecall summary: schema: /);
    const runs = await client.query("SELECT count(*)::int AS n FROM runs WHERE model = 'rodan'");
    expect(runs.rows[0].n).toBe(0);
  });

  it("replaces a re-pushed run's samples instead of keeping the earlier push's", async () => {
    const first = runDir("catcaller-long", summaryFor("catcaller", 0), 30);
    expect(cli("push", "--url", pg.url, first).code).toBe(0);
    const shorter = runDir("catcaller-short", summaryFor("catcaller", 0), 10);
    const again = cli("push", "--url", pg.url, "--json", shorter);
    expect(again.code).toBe(0);
    const { rows } = await client.query<{ n: number; last: Date }>(
      "SELECT count(*)::int AS n, max(s.time) AS last FROM telemetry_samples s JOIN runs r ON r.id = s.run WHERE r.model = 'catcaller'",
    );
    expect(rows[0].n).toBe(10);
    expect(rows[0].last.toISOString()).toBe("2026-11-24T10:00:09.000Z");
    const runs = await client.query("SELECT id FROM runs WHERE model = 'catcaller'");
    expect(runs.rows).toHaveLength(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ pushed: [{ id: Number(runs.rows[0].id), samples: 10 }] });
  });

  it("keeps the earlier push whole when a re-push fails part-way through its samples", async () => {
    const good = runDir("nanocall-good", summaryFor("nanocall", 0), 5);
    expect(cli("push", "--url", pg.url, good).code).toBe(0);
    const broken = runDir("nanocall-broken", summaryFor("nanocall", 0, 2000), 8);
    // PostgreSQL's jsonb refuses a NUL character: the last sample fails after the rest went in.
    const lines = fs.readFileSync(path.join(broken, "telemetry.jsonl"), "utf8").trim().split("\n");
    const last = JSON.parse(lines[7]) as { temperatures: Record<string, number> };
    last.temperatures = { "GPU\u0000": 40 };
    fs.writeFileSync(path.join(broken, "telemetry.jsonl"), `${[...lines.slice(0, 7), JSON.stringify(last)].join("\n")}\n`);
    const failed = cli("push", "--url", pg.url, broken);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/unsupported Unicode escape sequence/);
    const { rows } = await client.query<{ n: number; bases_per_s: number }>(
      "SELECT count(s.time)::int AS n, min(r.bases_per_s) AS bases_per_s FROM runs r LEFT JOIN telemetry_samples s ON s.run = r.id WHERE r.model = 'nanocall'",
    );
    expect(rows[0]).toEqual({ n: 5, bases_per_s: 1000 });
  });

  it("stops a statement that waits longer than --timeout-s, naming the server", async () => {
    // The migrator's lock, held here, keeps `db migrate` waiting for as long as the test likes.
    await client.query("SELECT pg_advisory_lock(4242001)");
    try {
      const result = await cliAsync("migrate", "--url", pg.url, "--timeout-s", "1");
      const address = pg.url.split("@")[1].split("/")[0];
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`edgecall db: ${maskUrl(pg.url)}: no answer from ${address} within 1 s (--timeout-s) to a statement; raise --timeout-s if the server is busy\n`);
    } finally {
      await client.query("SELECT pg_advisory_unlock(4242001)");
    }
  });

  it("never prints the password, even when the login fails", () => {
    const wrong = pg.url.replace("test-db-password", "not-the-password");
    const result = cli("migrate", "--url", wrong);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("postgres://***:***@");
    expect(result.stderr).not.toContain("not-the-password");
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });
});
