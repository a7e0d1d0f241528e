import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Box, type OfflinePage, anyOverlap, browserMissing, openOffline, overlaps } from "./helpers/browser";

// The harness the report's browser tests stand on, checked on a page made to catch it lying: a script
// that would change the page, resources on a live HTTP server, and shapes at known places.
const missing = browserMissing();
if (missing !== undefined && process.env.CI === "true") throw new Error(`the browser tests need ${missing}`);
if (missing !== undefined) console.warn(`skipped: the browser tests need ${missing}`);

describe("overlaps and anyOverlap", () => {
  const box = (x: number, y: number, width: number, height: number): Box => ({ x, y, width, height });
  it("counts a shared area, containment included, as an overlap", () => {
    expect(overlaps(box(0, 0, 10, 10), box(5, 5, 10, 10))).toBe(true);
    expect(overlaps(box(0, 0, 10, 10), box(2, 2, 3, 3))).toBe(true);
    expect(overlaps(box(2, 2, 3, 3), box(0, 0, 10, 10))).toBe(true);
  });
  it("does not count boxes that only touch, lie apart or have no area", () => {
    expect(overlaps(box(0, 0, 10, 10), box(10, 0, 10, 10))).toBe(false);
    expect(overlaps(box(0, 0, 10, 10), box(0, 10, 10, 10))).toBe(false);
    expect(overlaps(box(0, 0, 10, 10), box(20, 20, 5, 5))).toBe(false);
    expect(overlaps(box(0, 0, 10, 10), box(5, 5, 0, 3))).toBe(false);
  });
  it("anyOverlap is true when one pair overlaps, false for empty lists", () => {
    expect(anyOverlap([box(0, 0, 1, 1), box(50, 50, 10, 10)], [box(100, 0, 5, 5), box(55, 55, 1, 1)])).toBe(true);
    expect(anyOverlap([box(0, 0, 1, 1)], [box(100, 0, 5, 5)])).toBe(false);
    expect(anyOverlap([], [box(0, 0, 1, 1)])).toBe(false);
  });
});

describe.skipIf(missing !== undefined)("openOffline: Debian's chromium with JavaScript and network off", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-browser-"));
  const served: string[] = [];
  const server = http.createServer((request, response) => {
    served.push(request.url ?? "");
    response.writeHead(200, { "content-type": "text/plain" }).end("reached");
  });
  let port = 0;
  let page: OfflinePage | undefined;
  const html = path.join(tmp, "page.html");

  function open(): OfflinePage {
    if (page === undefined) throw new Error("the page did not open (see beforeAll)");
    return page;
  }

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("the test server has no port");
    port = address.port;
    // The server answers when asked: zero requests later means the browser never asked.
    const body = await new Promise<string>((resolve, reject) => {
      http.get(`http://127.0.0.1:${port}/probe`, (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => (text += chunk.toString()));
        response.on("end", () => resolve(text));
      }).on("error", reject);
    });
    expect(body).toBe("reached");
    served.length = 0;

    fs.writeFileSync(
      html,
      `<!doctype html>
<html><head><meta charset="utf-8"><title>harness</title>
<link rel="stylesheet" href="http://127.0.0.1:${port}/style.css">
<style>body { margin: 0 } svg, img { display: block }</style></head>
<body>
<svg width="400" height="200" viewBox="0 0 400 200">
  <rect class="role-legend" x="300" y="10" width="80" height="40" fill="#eee"/>
  <text class="label" x="305" y="35">Dorado  fast</text>
  <circle class="role-mark near" cx="320" cy="30" r="6" fill="#c00"/>
  <circle class="role-mark far" cx="50" cy="150" r="6" fill="#00c"/>
  <circle class="role-mark hidden" cx="60" cy="160" r="6" style="display: none"/>
</svg>
<p id="status">before</p>
<script>
  document.getElementById("status").textContent = "after";
  const div = document.createElement("div");
  div.className = "injected";
  document.body.appendChild(div);
</script>
<img src="http://127.0.0.1:${port}/x.png" width="10" height="10" alt="">
</body></html>
`,
    );
    // A browser's start on a machine busy with the other test lane can take a while.
    page = await openOffline(html, { timeoutMs: 60_000 });
  }, 90_000);

  afterAll(async () => {
    await page?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("opens the page it was given", async () => {
    expect(await open().texts("title")).toEqual(["harness"]);
  });

  it("runs no script: the page is as its HTML says", async () => {
    expect(await open().texts("#status")).toEqual(["before"]);
    expect(await open().count(".injected")).toBe(0);
  });

  it("lets no request leave the page: the server got none, and each was recorded as blocked", () => {
    expect(served).toEqual([]);
    expect(open().blockedRequests().sort()).toEqual([`http://127.0.0.1:${port}/style.css`, `http://127.0.0.1:${port}/x.png`]);
  });

  it("reads texts and counts, hidden elements included", async () => {
    expect(await open().texts("svg text.label")).toEqual(["Dorado fast"]);
    expect(await open().count(".role-mark")).toBe(3);
  });

  it("gives the laid-out boxes of the shapes, and none for a hidden one", async () => {
    const [legend] = await open().boxes(".role-legend");
    expect(legend).toEqual({ x: 300, y: 10, width: 80, height: 40 });
    const [near, far] = await open().boxes(".role-mark");
    expect(near).toEqual({ x: 314, y: 24, width: 12, height: 12 });
    expect(far).toEqual({ x: 44, y: 144, width: 12, height: 12 });
    expect(await open().boxes(".role-mark")).toHaveLength(2);
    expect(overlaps(legend, near)).toBe(true);
    expect(overlaps(legend, far)).toBe(false);
    expect(anyOverlap([legend], [near, far])).toBe(true);
    expect(anyOverlap([legend], [far])).toBe(false);
  });

  it("writes a PNG of the whole page", async () => {
    const png = path.join(tmp, "out", "page.png");
    await open().screenshot(png);
    const bytes = fs.readFileSync(png);
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(bytes.subarray(12, 16).toString("ascii")).toBe("IHDR");
    expect(bytes.readUInt32BE(16)).toBe(1200);
    expect(bytes.readUInt32BE(20)).toBeGreaterThan(0);
  });
});
