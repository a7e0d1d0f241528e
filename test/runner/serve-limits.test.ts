import { ChildProcess, spawnSync } from "child_process";
import * as net from "net";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RawAnswer, httpRequest, rawExchange } from "./helpers/raw-http";
import { VENV, startTestServer, venvMissing } from "./helpers/runner-env";

// `edgecall-runner serve` under the load and misbehaving clients the benchmark must not measure:
// every request gets an answer (a status, never a reset), and the server keeps answering after.
const missing = venvMissing();
const signal = Array.from({ length: 2000 }, (_v, i) => 80 + 20 * Math.sin(i / 7) + (i % 13));
const basecall = (id: string) => httpRequest("POST", "/v1/basecall", JSON.stringify({ read_id: id, signal }));
const POLLS = 100;

async function poll(until: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < POLLS; i++) {
    if (await until()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never: ${what}`);
}

async function gauge(port: number, name: string): Promise<number> {
  const answer = await rawExchange(port, httpRequest("GET", "/metrics")).answer;
  return Number(new RegExp(`^${name} (\\S+)$`, "m").exec(answer.body)?.[1]);
}

function expectBusy(answer: RawAnswer, reason: RegExp): void {
  expect(answer.error).toBeUndefined();
  expect(answer.status).toBe(503);
  expect(answer.headers["retry-after"]).toBe("1");
  expect((JSON.parse(answer.body) as { error: string }).error).toMatch(reason);
}

describe.skipIf(missing !== undefined)("serve under 200 concurrent clients (default limits)", () => {
  let child: ChildProcess;
  let port = 0;
  beforeAll(async () => {
    ({ port, child } = await startTestServer(8));
  });
  afterAll(() => {
    child?.kill();
  });

  it("answers every one of 200 simultaneous basecalls, with no reset, and /healthz after", async () => {
    const exchanges = Array.from({ length: 200 }, (_v, i) => rawExchange(port, basecall(`c${i}`), { limitMs: 150_000 }));
    const answers = await Promise.all(exchanges.map((e) => e.answer));
    expect(answers.filter((a) => a.error !== undefined)).toEqual([]);
    for (const answer of answers) {
      expect([200, 503]).toContain(answer.status);
      if (answer.status === 503) expectBusy(answer, /retry/);
    }
    // The defaults (512 connections, 512 queued basecalls) leave 200 clients room: none is refused.
    expect(answers.filter((a) => a.status === 200)).toHaveLength(200);
    expect((await rawExchange(port, httpRequest("GET", "/healthz")).answer).status).toBe(200);
  });
});

describe.skipIf(missing !== undefined)("serve at its configured limits", () => {
  let child: ChildProcess;
  let port = 0;
  const held: net.Socket[] = [];
  beforeAll(async () => {
    ({ port, child } = await startTestServer(4, [
      "--max-connections", "4", "--max-queue", "2", "--max-body-bytes", "1000", "--max-body-memory-bytes", "9000",
      "--max-signal", "100", "--read-timeout-s", "60",
    ]));
  });
  afterAll(() => {
    for (const socket of held) socket.destroy();
    child?.kill();
  });
  const releaseHeld = async () => {
    for (const socket of held.splice(0)) socket.destroy();
    await poll(async () => (await gauge(port, "edgecall_open_connections")) === 1, "held connections released");
  };
  /** A client that sent its headers and part of a body of `length` bytes, then stopped. */
  const stallMidBody = (length: number) => {
    const exchange = rawExchange(port, `POST /v1/basecall HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n{"read`, { stall: true, limitMs: 60_000 });
    held.push(exchange.socket);
    return exchange;
  };

  it("refuses a body over --max-body-bytes with 413 without reading it, and a signal over --max-signal with 413", async () => {
    const oversize = await rawExchange(port, httpRequest("POST", "/v1/basecall", JSON.stringify({ read_id: "big", signal: Array(200_000).fill(1) }))).answer;
    expect(oversize).toMatchObject({ status: 413, body: '{"error": "the body is larger than 1000 bytes (--max-body-bytes)"}' });
    expect(oversize.error).toBeUndefined();
    const long = await rawExchange(port, httpRequest("POST", "/v1/basecall", JSON.stringify({ read_id: "long", signal: Array(101).fill(1) }))).answer;
    expect(long).toMatchObject({ status: 413, body: '{"error": "signal has 101 samples, at most 100 are accepted"}' });
    expect((await rawExchange(port, httpRequest("GET", "/healthz")).answer).status).toBe(200);
  });

  it("answers 503 with Retry-After when bodies being parsed would pass --max-body-memory-bytes (6 times their length), then when the queue is full", async () => {
    stallMidBody(1000);
    await poll(async () => (await gauge(port, "edgecall_body_memory_bytes")) === 6000, "the stalled body counted");
    const small = JSON.stringify({ read_id: "s", signal: Array(50).fill(90) });
    expectBusy(await rawExchange(port, httpRequest("POST", "/v1/basecall", small.padEnd(600))).answer, /request bodies being parsed would take more than 9000 bytes/);
    stallMidBody(400);
    await poll(async () => (await gauge(port, "edgecall_queued_basecalls")) === 2, "two basecalls queued");
    expectBusy(await rawExchange(port, httpRequest("POST", "/v1/basecall", small)).answer, /2 basecall requests are already queued/);
    await releaseHeld();
    const ok = await rawExchange(port, httpRequest("POST", "/v1/basecall", small)).answer;
    expect(ok.status).toBe(200);
  });

  it("answers connections beyond --max-connections with 503, never a reset, and serves again once they close", async () => {
    const stalled = Array.from({ length: 4 }, () => rawExchange(port, "GET /hea", { stall: true, limitMs: 60_000 }));
    held.push(...stalled.map((s) => s.socket));
    await Promise.all(stalled.map((s) => s.connected));
    // Connections are accepted in the order they were made, so these come after the four held ones.
    const refused = await Promise.all(Array.from({ length: 40 }, (_v, i) => rawExchange(port, basecall(`r${i}`)).answer));
    for (const answer of refused) expectBusy(answer, /as many connections as it serves at once/);
    await releaseHeld();
    expect((await rawExchange(port, httpRequest("GET", "/healthz")).answer).status).toBe(200);
  });
});

describe.skipIf(missing !== undefined)("serve with stalled clients", () => {
  let child: ChildProcess;
  let port = 0;
  beforeAll(async () => {
    ({ port, child } = await startTestServer(4, ["--max-connections", "3", "--read-timeout-s", "1", "--request-timeout-s", "3"]));
  });
  afterAll(() => {
    child?.kill();
  });

  it("answers a client that stops mid-headers or mid-body with 408, freeing its connection for others", async () => {
    const exchanges = [
      rawExchange(port, "POST /v1/basecall HTTP/1.1\r\nHost: x\r\nContent-Le", { stall: true }),
      rawExchange(port, 'POST /v1/basecall HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"read_id": "x", "sig', { stall: true }),
      rawExchange(port, "POST /v1/basecall HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n", { stall: true }),
    ];
    const answers = await Promise.all(exchanges.map((e) => e.answer));
    for (const answer of answers) {
      expect(answer.error).toBeUndefined();
      expect(answer.status).toBe(408);
      expect((JSON.parse(answer.body) as { error: string }).error).toMatch(/sent nothing for 1 s mid-request, or took longer than 3 s over the request/);
    }
    // All three connection threads were the server's whole allowance; they are free again.
    await poll(async () => (await rawExchange(port, httpRequest("GET", "/healthz")).answer).status === 200, "/healthz answered");
    expect((await rawExchange(port, basecall("after-stall")).answer).status).toBe(200);
  });

  it("answers 408 to a client that trickles its headers in, each byte inside the read timeout but the whole past the request timeout", async () => {
    const exchange = rawExchange(port, "POST /v1/basecall HTTP/1.1\r\nHost: x\r\nX-Slow: ", { stall: true });
    await exchange.connected;
    let drips = 0;
    const drip = setInterval(() => {
      // A bounded trickle: 200 bytes at most, one every 250 ms, stopped by the answer.
      if (drips++ < 200 && !exchange.socket.destroyed) exchange.socket.write("a");
    }, 250);
    exchange.socket.once("data", () => clearInterval(drip));
    const answer = await exchange.answer;
    clearInterval(drip);
    expect(answer.status).toBe(408);
    expect(drips).toBeLessThan(200);
  });

  it("closes an idle keep-alive connection after the read timeout without an answer", async () => {
    const idle = await rawExchange(port, "", { stall: true }).answer;
    expect(idle).toEqual({ headers: {}, body: "" });
  });
});

describe.skipIf(missing !== undefined)("serve with a model slower than --model-timeout-s", () => {
  let child: ChildProcess;
  let port = 0;
  beforeAll(async () => {
    // No answer can come within 1 ms: the batcher waits 5 ms for more reads before a batch that is
    // not full, and the test network then takes far longer than that over a 200,000-sample read.
    ({ port, child } = await startTestServer(4, ["--model-timeout-s", "0.001"]));
  });
  afterAll(() => {
    child?.kill();
  });

  it("answers 504 with the reason, and keeps serving", async () => {
    const long = Array.from({ length: 200_000 }, (_v, i) => 80 + 20 * Math.sin(i / 7) + (i % 13));
    const answer = await rawExchange(port, httpRequest("POST", "/v1/basecall", JSON.stringify({ read_id: "slow", signal: long }))).answer;
    expect(answer).toMatchObject({ status: 504, body: '{"error": "the model did not answer within 0.001 s (--model-timeout-s)"}' });
    expect((await rawExchange(port, httpRequest("GET", "/healthz")).answer).status).toBe(200);
  });
});

describe.skipIf(missing !== undefined)("serve's limit options", () => {
  // Each variable on its own, and a bad value, is checked in images/runner/tests/test_limits.py; this
  // checks the installed program reads one from its environment at all.
  it("takes a limit from its environment variable and refuses a body budget that could never hold one body", () => {
    const result = spawnSync(path.join(VENV, "bin", "edgecall-runner"), ["serve", "--model", "ctc-test", "--host", "127.0.0.1", "--port", "1", "--max-body-memory-bytes", "5999"], {
      encoding: "utf8",
      env: { ...process.env, EDGECALL_SERVE_MAX_BODY_BYTES: "1000" },
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe("edgecall-runner: --max-body-memory-bytes must be at least 6 times --max-body-bytes");
  });
});
