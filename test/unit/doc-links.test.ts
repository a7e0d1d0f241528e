import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";

const PROJECT = path.resolve(__dirname, "../..");
const PAGES = ["README.md", ...fs.readdirSync(path.join(PROJECT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

/** The page's text outside fenced code blocks, where a `[x](y)` is code, not a link. */
function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, "");
}

/** GitHub's anchor for each heading of a page (lowercased, punctuation dropped, spaces to dashes, repeats numbered). */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const [, heading] of prose(text).matchAll(/^#{1,6} +(.+?) *#* *$/gm)) {
    const base = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/ /g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

/** Every inline link target of a page: `[text](target)`, images included. */
function links(text: string): string[] {
  return [...prose(text).matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?: "[^"]*")?\)/g)].map((m) => m[1]);
}

describe("the README and docs/", () => {
  it("finds the README and the docs pages, and reads GitHub's anchors as GitHub makes them", () => {
    expect(PAGES).toEqual(expect.arrayContaining(["README.md", "docs/testing.md", "docs/configuration.md"]));
    expect([...anchors("# The `edgecall` CLI\n## Benchmarks in the cluster (`benchmark`)\n## Notes\n## Notes\n```\n# not a heading\n```\n")]).toEqual([
      "the-edgecall-cli",
      "benchmarks-in-the-cluster-benchmark",
      "notes",
      "notes-1",
    ]);
  });

  it("keeps the README to 12 KB", () => {
    expect(fs.statSync(path.join(PROJECT, "README.md")).size).toBeLessThanOrEqual(12 * 1024);
  });

  it.each(PAGES)("%s: every relative link and anchor resolves, and no link leaves the repository but to a public site", (page) => {
    const text = fs.readFileSync(path.join(PROJECT, page), "utf8");
    const problems: string[] = [];
    for (const target of links(text)) {
      if (/^https?:\/\//.test(target)) {
        if (/^https?:\/\/(localhost|127\.|10\.|192\.168\.)/.test(target)) problems.push(`${target}: not a public site`);
        continue;
      }
      if (/^[a-z]+:/.test(target)) {
        problems.push(`${target}: only relative links and http(s) links`);
        continue;
      }
      const [file, anchor] = target.split("#");
      const resolved = file === "" ? path.join(PROJECT, page) : path.resolve(path.dirname(path.join(PROJECT, page)), file);
      if (!resolved.startsWith(PROJECT + path.sep)) {
        problems.push(`${target}: leaves the repository`);
        continue;
      }
      if (!fs.existsSync(resolved)) {
        problems.push(`${target}: ${path.relative(PROJECT, resolved)} does not exist`);
        continue;
      }
      if (anchor !== undefined && resolved.endsWith(".md") && !anchors(fs.readFileSync(resolved, "utf8")).has(anchor)) {
        problems.push(`${target}: no heading #${anchor} in ${path.relative(PROJECT, resolved)}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
