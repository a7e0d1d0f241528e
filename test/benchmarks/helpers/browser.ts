import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pathToFileURL } from "url";
import puppeteer, { type Browser, type Page } from "puppeteer-core";

/**
 * Debian's browsers, in the order they are tried: `chromium` (what the install script brings: the
 * browser a reader opens, in its new headless mode) and `chromium-headless-shell` (the old headless
 * shell, the same Blink; used when it is the one installed).
 */
export const BROWSER_PATHS = ["/usr/bin/chromium", "/usr/bin/chromium-headless-shell"] as const;
export const INSTALL_SCRIPT = "test/setup/install-benchmarks-tier.sh";

/** A rectangle in CSS pixels, relative to the page's top left corner (the page is never scrolled). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The first of BROWSER_PATHS that is an executable file, or undefined. */
export function browserPath(): string | undefined {
  return BROWSER_PATHS.find((file) => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return undefined;
    }
  });
}

/** Why no browser can start here (naming the paths and the install script), or undefined. */
export function browserMissing(): string | undefined {
  if (browserPath() !== undefined) return undefined;
  return `Debian's chromium: none of ${BROWSER_PATHS.join(", ")} exists (run ${INSTALL_SCRIPT} as root)`;
}

/** True when a and b share an area larger than zero; boxes that only touch, or have no area, do not overlap. */
export function overlaps(a: Box, b: Box): boolean {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return width > 0 && height > 0;
}

/** True when some box of boxesA overlaps some box of boxesB. */
export function anyOverlap(boxesA: readonly Box[], boxesB: readonly Box[]): boolean {
  return boxesA.some((a) => boxesB.some((b) => overlaps(a, b)));
}

/** A page opened by openOffline: read-only questions about what the browser laid out. */
export interface OfflinePage {
  /** The file:// URL of the page, the only request let through. */
  readonly url: string;
  /** The bounding boxes of the matching elements that are rendered (display:none ones have none). */
  boxes(selector: string): Promise<Box[]>;
  /** How many elements match, rendered or not. */
  count(selector: string): Promise<number>;
  /** The text content of each matching element, whitespace collapsed and trimmed. */
  texts(selector: string): Promise<string[]>;
  /** A PNG of the whole page (not only the viewport), or of `clip` in page coordinates, written to pngPath (its folder is created). */
  screenshot(pngPath: string, clip?: Box): Promise<void>;
  /** Every URL the page tried to load other than its own, in order; all of them were aborted. */
  blockedRequests(): string[];
  /** Closes the browser and removes its profile; safe to call twice. */
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Milliseconds for the browser to start, and for each later step (default 15 000). */
  timeoutMs?: number;
  /** The viewport (default 1200 x 800). */
  viewport?: { width: number; height: number };
}

/**
 * Opens htmlFile in Debian's chromium, headless, with JavaScript off and the network off: request
 * interception aborts every request but the page's own file:// URL and records it, and the page is
 * also put in offline mode. The browser gets a fresh profile in a temp dir, removed on close, and
 * `--no-sandbox` only when this process is root (the sandbox refuses root).
 */
export async function openOffline(htmlFile: string, options: OpenOptions = {}): Promise<OfflinePage> {
  const executablePath = browserPath();
  if (executablePath === undefined) throw new Error(`cannot open ${htmlFile}: ${browserMissing()}`);
  const timeout = options.timeoutMs ?? 15_000;
  const url = pathToFileURL(path.resolve(htmlFile)).href;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-chromium-"));
  let browser: Browser | undefined;
  const close = async (): Promise<void> => {
    try {
      await browser?.close();
    } finally {
      browser = undefined;
      fs.rmSync(profile, { recursive: true, force: true });
    }
  };
  try {
    browser = await puppeteer.launch({
      executablePath,
      headless: executablePath.endsWith("headless-shell") ? "shell" : true,
      pipe: true,
      userDataDir: profile,
      args: process.getuid?.() === 0 ? ["--no-sandbox"] : [],
      timeout,
      protocolTimeout: timeout,
      defaultViewport: options.viewport ?? { width: 1200, height: 800 },
    });
    const page: Page = await browser.newPage();
    page.setDefaultTimeout(timeout);
    const blocked: string[] = [];
    await page.setJavaScriptEnabled(false);
    await page.setOfflineMode(true);
    await page.setRequestInterception(true);
    page.on("request", (request) => {
      if (request.url() === url) {
        void request.continue();
      } else {
        blocked.push(request.url());
        void request.abort("blockedbyclient");
      }
    });
    await page.goto(url, { waitUntil: "load" });
    const handles = (selector: string) => page.$$(selector);
    return {
      url,
      async boxes(selector) {
        const boxes: Box[] = [];
        for (const handle of await handles(selector)) {
          const box = await handle.boundingBox();
          if (box !== null) boxes.push({ x: box.x, y: box.y, width: box.width, height: box.height });
        }
        return boxes;
      },
      async count(selector) {
        return (await handles(selector)).length;
      },
      async texts(selector) {
        const texts: string[] = [];
        for (const handle of await handles(selector)) {
          const text = await (await handle.getProperty("textContent")).jsonValue();
          texts.push(typeof text === "string" ? text.replace(/\s+/g, " ").trim() : "");
        }
        return texts;
      },
      async screenshot(pngPath, clip) {
        fs.mkdirSync(path.dirname(pngPath), { recursive: true });
        fs.writeFileSync(pngPath, await page.screenshot(clip === undefined ? { fullPage: true, type: "png" } : { clip, captureBeyondViewport: true, type: "png" }));
      },
      blockedRequests: () => [...blocked],
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
