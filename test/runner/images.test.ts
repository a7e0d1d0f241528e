import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import { builtinModules } from "module";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { benchmarkJob, type BenchmarkPodSettings } from "../../components/benchmark-run/job-spec";
import { loadJob } from "../../components/benchmark-run/load-job";
import { readUntilJob } from "../../components/benchmark-run/read-until-job";
import { liveJob } from "../../components/benchmark-run/live-job";
import type { Container } from "../../components/benchmark-run/pod-types";
import { podSettings } from "../unit/helpers/pod-settings";
import { EDGECALL_BIN, ensureBuilt } from "../helpers/build";
import { requirePresent, skipOutsideCi } from "../helpers/needs";

const PROJECT = path.resolve(__dirname, "../..");
const IMAGES = path.join(PROJECT, "images");
const HADOLINT = path.join(PROJECT, ".venv-runner", "bin", "hadolint");
const missing = fs.existsSync(HADOLINT) ? undefined : `${HADOLINT} (run test/setup/install-runner-tier.sh)`;
if (missing !== undefined && process.env.CI === "true") throw new Error(`the runner tier needs ${missing}`);
const MODELS = ["catcaller", "chiron", "rodan", "sacall"];
/** Every image's build context: the model template and the converter build from images/, the tools image from the project. */
const CONTEXTS: Record<string, string> = { model: IMAGES, converter: IMAGES, tools: PROJECT };
const ALL_IMAGES = Object.keys(CONTEXTS);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-images-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const dockerfile = (image: string) => fs.readFileSync(path.join(IMAGES, image, "Dockerfile"), "utf8");
/** What images/<model>/model.json says of the model's image. */
const modelFacts = (model: string) =>
  JSON.parse(fs.readFileSync(path.join(IMAGES, model, "model.json"), "utf8")) as { model: string; upstream: string; commit: string; image: { aptPackages: string[]; pipPackages: string[]; why: string } };
const argDefault = (text: string, name: string) => new RegExp(`^ARG ${name}=(\\S+)$`, "m").exec(text)?.[1];
/** The image the first FROM names, with a `${ARG}` there replaced by that ARG's default: the base a plain build uses. */
const baseImage = (text: string) => {
  const from = instructions(text).find((i) => i.keyword === "FROM")?.args ?? "";
  return from.replace(/^\$\{(\w+)\}$|^\$(\w+)$/, (whole, braced?: string, bare?: string) => argDefault(text, braced ?? bare ?? "") ?? whole);
};

interface Instruction {
  keyword: string;
  args: string;
}

/** A Dockerfile's instructions, continuation lines joined and comments left out. */
function instructions(text: string): Instruction[] {
  const result: Instruction[] = [];
  let current = "";
  for (const line of text.split("\n").map((l) => l.trim())) {
    if (line.startsWith("#") || (current === "" && line === "")) continue;
    if (line.endsWith("\\")) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    const match = /^(\w+)\s+(.*)$/.exec(current + line);
    if (match) result.push({ keyword: match[1].toUpperCase(), args: match[2].trim() });
    current = "";
  }
  return result;
}

const runs = (text: string) => instructions(text).filter((i) => i.keyword === "RUN").map((i) => i.args);

/** ENV values (the `KEY=value ...` form). */
function envOf(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of instructions(text).filter((i) => i.keyword === "ENV")) {
    for (const pair of args.split(/\s+/)) {
      const eq = pair.indexOf("=");
      if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  return env;
}

/** What each COPY from the build context puts where: `source` relative to the context, `target` absolute in the image. */
function copies(text: string): Array<{ source: string; target: string }> {
  const result: Array<{ source: string; target: string }> = [];
  let workdir = "/";
  for (const { keyword, args } of instructions(text)) {
    if (keyword === "WORKDIR") workdir = path.posix.resolve(workdir, args);
    if (keyword !== "COPY" && keyword !== "ADD") continue;
    const words = args.split(/\s+/);
    if (words.some((w) => w.startsWith("--from="))) continue;
    const operands = words.filter((w) => !w.startsWith("--"));
    const sources = operands.slice(0, -1);
    const dest = operands[operands.length - 1];
    const destination = path.posix.resolve(workdir, dest);
    for (const source of sources) {
      result.push({ source, target: sources.length > 1 || dest.endsWith("/") ? path.posix.join(destination, path.posix.basename(source)) : destination });
    }
  }
  return result;
}

/** The file of the build context that an image path comes from, if a COPY puts it there. */
function contextFileAt(text: string, imagePath: string): string | undefined {
  for (const { source, target } of copies(text)) {
    if (imagePath === target) return source;
    if (imagePath.startsWith(`${target}/`)) return path.posix.join(source, imagePath.slice(target.length + 1));
  }
  return undefined;
}

/** A .dockerignore pattern as a regular expression (`*`, `?` and `**` as Docker reads them). */
function globRegex(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*" && pattern[i + 1] === "*") {
      re += pattern[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += pattern[i + 2] === "/" ? 2 : 1;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** Whether the context's .dockerignore leaves a path out: the last pattern matching it or a parent decides. */
function leftOutBy(context: string): (relative: string) => boolean {
  const file = path.join(context, ".dockerignore");
  const rules = (fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n") : [])
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => {
      const negated = l.startsWith("!");
      return { negated, regex: globRegex(path.posix.normalize(negated ? l.slice(1) : l).replace(/^\/+|\/+$/g, "")) };
    });
  return (relative) => {
    const parts = relative.split("/");
    const paths = parts.map((_, i) => parts.slice(0, i + 1).join("/"));
    let out = false;
    for (const rule of rules) if (paths.some((p) => rule.regex.test(p))) out = !rule.negated;
    return out;
  };
}

/** Files under a path of the context, relative to it, without build and cache output. */
function filesUnder(context: string, relative: string): string[] {
  const full = path.join(context, relative);
  if (!fs.statSync(full).isDirectory()) return [relative];
  return fs.readdirSync(full).flatMap((entry) => {
    if (entry === "__pycache__" || entry === "node_modules" || entry.endsWith(".pyc") || entry.endsWith(".egg-info")) return [];
    return filesUnder(context, path.posix.join(relative, entry));
  });
}

describe("model images: one template (images/model/Dockerfile), a model.json per model", () => {
  it.skipIf(missing !== undefined)("images/model/Dockerfile passes hadolint", () => {
    const result = spawnSync(HADOLINT, ["--no-color", path.join(IMAGES, "model", "Dockerfile")], { encoding: "utf8" });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it.skipIf(missing !== undefined)("hadolint does fail a Dockerfile with faults", () => {
    const bad = path.join(tmp, "Dockerfile");
    fs.writeFileSync(bad, "FROM ubuntu\nRUN apt-get install curl\n");
    expect(spawnSync(HADOLINT, ["--no-color", bad], { encoding: "utf8" }).status).not.toBe(0);
  });

  it("takes the model, its upstream and commit from build arguments, refuses to build without them, and runs the runner unprivileged", () => {
    const text = dockerfile("model");
    for (const arg of ["MODEL", "UPSTREAM_REPO", "UPSTREAM_COMMIT", "APT_PACKAGES", "PIP_PACKAGES"]) expect(text).toMatch(new RegExp(`^ARG ${arg}=""$`, "m"));
    const guard = runs(text)[0];
    expect(guard).toMatch(/^if \[ -z "\$\{MODEL\}" \] \|\| \[ -z "\$\{UPSTREAM_REPO\}" \] \|\| \[ -z "\$\{UPSTREAM_COMMIT\}" \]; then .* exit 1;\s+fi$/);
    expect(spawnSync("bash", ["-c", guard.replace(/\$\{(\w+)\}/g, "")]).status).toBe(1);
    expect(text).toMatch(/checkout --quiet --detach "\$\{UPSTREAM_COMMIT\}"/);
    expect(envOf(text).EDGECALL_MODEL).toBe("${MODEL}");
    expect(text).toMatch(/^USER 10001$/m);
    expect(text).toMatch(/^ENTRYPOINT \["edgecall-runner"\]$/m);
  });

  it.each(MODELS)("images/%s/model.json names its model, upstream, a pinned commit and pinned pip packages, and bases.json has its three L4T bases", (model) => {
    const facts = modelFacts(model);
    expect(facts.model).toBe(model);
    expect(facts.upstream).toMatch(/^https:\/\/github\.com\/\S+\.git$/);
    expect(facts.commit).toMatch(/^[0-9a-f]{40}$/);
    for (const pip of facts.image.pipPackages) expect(pip).toMatch(/^[\w.-]+==[\w.]+$/);
    for (const apt of facts.image.aptPackages) expect(apt).toMatch(/^python3-[a-z0-9.-]+$/);
    const bases = JSON.parse(fs.readFileSync(path.join(IMAGES, "bases.json"), "utf8")) as Record<string, Record<string, string | null>>;
    expect(Object.keys(bases).sort()).toEqual(MODELS);
    expect(Object.keys(bases[model]).sort()).toEqual(["R32", "R35", "R36"]);
  });
});

describe("every image's Dockerfile", () => {
  it.skipIf(missing !== undefined).each(["converter", "tools"])("images/%s/Dockerfile passes hadolint", (image) => {
    const result = spawnSync(HADOLINT, ["--no-color", path.join(IMAGES, image, "Dockerfile")], { encoding: "utf8" });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it.each(ALL_IMAGES)("images/%s/Dockerfile names its build context in its header", (image) => {
    const stated = /^# Build context: (images\/|the repository root)/m.exec(dockerfile(image))?.[1];
    expect(stated === "images/" ? IMAGES : stated === undefined ? undefined : PROJECT).toBe(CONTEXTS[image]);
  });

  it.each(ALL_IMAGES)("images/%s/Dockerfile copies only files its context has and its .dockerignore sends", (image) => {
    // The tools image copies what `npm run build` compiles.
    ensureBuilt();
    const context = CONTEXTS[image];
    const leftOut = leftOutBy(context);
    // The model template's own folder is the model's: every model's must be there and sent.
    const sources = copies(dockerfile(image)).flatMap((c) => (c.source.includes("${MODEL}") ? MODELS.map((m) => c.source.replace("${MODEL}", m)) : [c.source]));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(fs.existsSync(path.join(context, source)), `${source} is not in ${path.relative(PROJECT, context) || "."}/`).toBe(true);
      const files = filesUnder(context, source);
      expect(files.length, `${source} is empty`).toBeGreaterThan(0);
      expect(files.filter(leftOut), `.dockerignore of ${path.relative(PROJECT, context) || "the project"} leaves these out`).toEqual([]);
    }
  });

  it("the .dockerignore check does see a file left out", () => {
    fs.writeFileSync(path.join(tmp, ".dockerignore"), "# comment\n*\n!keep/\n**/__pycache__\n");
    const leftOut = leftOutBy(tmp);
    expect(["keep/a.ts", "keep/sub/b.sql"].filter(leftOut)).toEqual([]);
    expect(["other.json", "other/keep/c.ts", "keep/__pycache__/d.pyc"].filter(leftOut)).toHaveLength(3);
  });
});

// ---- The tools image ------------------------------------------------------------------------

const tools = () => dockerfile("tools");
const PACKAGE = JSON.parse(fs.readFileSync(path.join(PROJECT, "package.json"), "utf8")) as {
  type: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
};
/** Commands of Debian's Essential packages (coreutils, sed, grep, findutils), in every Debian image. */
const DEBIAN_ESSENTIAL = "sh cat cp cut date dirname basename env head ls mkdir mktemp mv rm sleep sort tail tee touch tr wc sed grep find".split(" ");
/** The commands a Debian package installs, where they are not just the package's name. */
const PACKAGE_COMMANDS: Record<string, string[]> = {};
/**
 * Programs the CLI may run that the tools image need not have: `telemetry record` falls back to
 * sysfs without tegrastats, and `report --stack` (which runs pulumi) is for a user's machine, never
 * a pod.
 */
const OPTIONAL_PROGRAMS = ["tegrastats", "pulumi"];
/** Packages only a command run off the boards loads (`edgecall sweep`: the Automation API). */
const OFF_BOARD_PACKAGES = ["@pulumi/pulumi"];
const SH_BUILTINS = new Set("set break continue [ test echo printf cd export exit exec read shift trap true false : . eval wait unset return local command".split(" "));
const SH_KEYWORDS = new Set("if then else elif fi while until do done { } !".split(" "));

/** The commands on the tools image's PATH, from its base and what its Dockerfile installs and links. */
function toolsCommands(text: string): Set<string> {
  const commands = new Set<string>();
  const base = baseImage(text);
  if (/^node:\d+-bookworm/.test(base)) ["node", "npm", "npx", ...DEBIAN_ESSENTIAL].forEach((c) => commands.add(c));
  for (const run of runs(text)) {
    for (const [, list] of run.matchAll(/apt-get install ((?:-\S+\s+)*(?:'?[a-z0-9][a-z0-9.+-]*(?:=\S+?)?'?\s*)+)/g)) {
      for (const word of list.split(/\s+/).filter((w) => w !== "" && !w.startsWith("-"))) {
        const name = word.replace(/^'|'$/g, "").split("=")[0];
        (PACKAGE_COMMANDS[name] ?? [name]).forEach((c) => commands.add(c));
      }
    }
    for (const [, target, link] of run.matchAll(/ln -s (\S+) \/usr\/local\/bin\/(\S+)/g)) {
      if (contextFileAt(text, target) !== undefined) commands.add(link);
    }
  }
  return commands;
}

/** The simple commands of a POSIX sh script, one line at a time (enough for the pod scripts). */
function scriptCommands(text: string): Array<{ command: string; args: string[] }> {
  const result: Array<{ command: string; args: string[] }> = [];
  // A line ending in a backslash goes on with the next one. A quoted string or an arithmetic
  // expansion is one word whatever it holds (a `;` in a message separates no command).
  const joined = text.replace(/\\\n/g, " ").replace(/\$\(\([^)]*\)\)|'[^'\n]*'|"[^"\n]*"/g, "WORD");
  for (const line of joined.split("\n").map((l) => l.trim())) {
    if (line === "" || line.startsWith("#")) continue;
    for (const segment of line.split(/;|&&|\|\||\|/)) {
      const words = segment.trim().split(/\s+/).filter((w) => w !== "");
      while (words.length > 0 && (SH_KEYWORDS.has(words[0]) || words[0] === "exec" || /^[A-Za-z_]\w*=/.test(words[0]))) words.shift();
      if (words.length > 0) result.push({ command: words[0], args: words.slice(1) });
    }
  }
  return result;
}

/** The CLI's modules (benchmarks/cli.ts and all it imports, relatively) and the packages they import. */
function cliModules(): { modules: string[]; packages: Set<string> } {
  const modules: string[] = [];
  const packages = new Set<string>();
  const queue = [path.join(PROJECT, "benchmarks", "cli.ts")];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (modules.includes(file)) continue;
    modules.push(file);
    for (const [, spec] of fs.readFileSync(file, "utf8").matchAll(/(?:\bfrom\s+|\bimport\(\s*|\brequire\(\s*)"([^"]+)"/g)) {
      if (spec.startsWith(".")) {
        const base = path.resolve(path.dirname(file), spec);
        const found = [`${base}.ts`, `${base}.js`, path.join(base, "index.ts"), base].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
        if (found === undefined) throw new Error(`${path.relative(PROJECT, file)} imports ${spec}, which is not there`);
        queue.push(found);
      } else {
        const parts = spec.replace(/^node:/, "").split("/");
        packages.add(parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]);
      }
    }
  }
  return { modules, packages };
}

/** The programs a module starts with spawn/execFile: a literal, `x ?? "literal"`, or a parameter's default. */
function spawnedPrograms(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  return [...text.matchAll(/\b(?:spawn|spawnSync|execFile|execFileSync)\(\s*([^,)]+)/g)].map(([, expression]) => {
    const e = expression.trim();
    if (e === "process.execPath") return "node";
    const literal = /"([^"]+)"$/.exec(e)?.[1] ?? new RegExp(`\\b${e.replace(/[.$]/g, "\\$&")}\\s*=\\s*"([^"]+)"`).exec(text)?.[1];
    if (literal === undefined) throw new Error(`${path.relative(PROJECT, file)}: cannot tell which program spawn(${e}) starts`);
    return literal;
  });
}

/** The runtime package.json and lockfile the tools image installs, made as its Dockerfile makes them. */
function runtimePackage(): { pkg: { type?: string; dependencies: Record<string, string> }; lock: Record<string, { version?: string }> } {
  const dir = fs.mkdtempSync(path.join(tmp, "runtime-package-"));
  for (const f of ["package.json", "package-lock.json"]) fs.copyFileSync(path.join(PROJECT, f), path.join(dir, f));
  const prune = spawnSync(process.execPath, [path.join(IMAGES, "tools", "runtime-package.js")], { cwd: dir, encoding: "utf8" });
  expect(prune.stderr).toBe("");
  const npm = spawnSync("npm", ["install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund", "--offline", "--cache", path.join(dir, "cache")], {
    cwd: dir,
    encoding: "utf8",
  });
  expect(npm.status, npm.stderr).toBe(0);
  return {
    pkg: JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")),
    lock: (JSON.parse(fs.readFileSync(path.join(dir, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string }> }).packages,
  };
}

const TOOLS_IMAGE = "registry.test/edgecall/tools:test";
const CONVERTER_IMAGE = "registry.test/edgecall/converter:test";
const settings: BenchmarkPodSettings = podSettings({
  model: "sacall",
  runId: "images-test",
  modelImage: "registry.test/edgecall/sacall:test",
  converterImage: CONVERTER_IMAGE,
  toolsImage: TOOLS_IMAGE,
  runtimeClassName: undefined,
});
const podContainers = (): Container[] => {
  const pod = benchmarkJob(settings, 0).spec.template.spec;
  const load = loadJob(settings, { target: "http://edgecall-chiron.edgecall.svc.cluster.local:8080", concurrency: [1, 2], requestTimeoutSeconds: 60 }).spec.template.spec;
  const readUntil = readUntilJob(settings, "http://edgecall-chiron.edgecall.svc.cluster.local:8080", { channels: [64], chunkSeconds: 0.4, rounds: 2, inTimeShare: 0.95 }, 4000).spec.template.spec;
  const live = liveJob(settings, { speeds: [1], durationSeconds: 10, occupancy: 0.8, readsPerFile: 2, backlogWindowSeconds: 3, flowCell: { channels: 512, sampleRateHz: 4000 } }).spec.template.spec;
  return [...pod.initContainers, ...pod.containers, ...(load.initContainers ?? []), ...load.containers, ...(readUntil.initContainers ?? []), ...readUntil.containers, ...live.containers];
};
const POD_SCRIPTS = path.join(PROJECT, "components", "benchmark-run", "pod-scripts");

function cliCommandNames(): string[] {
  ensureBuilt();
  const help = spawnSync(process.execPath, [EDGECALL_BIN, "--help"], { encoding: "utf8" });
  expect(help.status).toBe(0);
  return [...help.stdout.matchAll(/^ {2}(\w+) /gm)].map((m) => m[1]);
}

describe("the tools image (images/tools/Dockerfile)", () => {
  it("is Node 22 on Debian 12 with Debian's minimap2 2.24, and `edgecall` on PATH is the project's compiled bin", () => {
    const text = tools();
    expect(baseImage(text)).toBe("node:22-bookworm-slim");
    expect(runs(text).some((r) => /apt-get install -y --no-install-recommends .*'minimap2=2\.24\+dfsg-3\*'/.test(r))).toBe(true);
    expect(toolsCommands(text)).toContain("minimap2");
    const link = /ln -s (\S+) \/usr\/local\/bin\/edgecall\b/.exec(runs(text).join("\n"))?.[1];
    expect(link).toBeDefined();
    // The link points at the file package.json's bin names, copied into the image.
    expect(contextFileAt(text, link as string)).toBe(path.posix.normalize(PACKAGE.bin.edgecall));
    ensureBuilt();
    const bin = path.join(PROJECT, PACKAGE.bin.edgecall);
    expect(fs.readFileSync(bin, "utf8").split("\n")[0]).toBe("#!/usr/bin/env node");
    expect(fs.statSync(bin).mode & 0o111).toBe(0o111);
    expect(toolsCommands(text)).toContain("edgecall");
    expect(text).toMatch(/^USER 10001$/m);
    expect(text).toMatch(/^ENTRYPOINT \["edgecall"\]$/m);
  });

  it("installs, at their package-lock.json versions, every package the CLI imports and no Pulumi SDK", () => {
    const text = tools();
    const install = runs(text).find((r) => r.includes("runtime-package.js")) ?? "";
    expect(install).toMatch(/^node runtime-package\.js .*npm install --package-lock-only .*npm ci --omit=dev /);
    const { modules, packages } = cliModules();
    // Every module the CLI loads is under benchmarks/ or domain/, whose compiled JavaScript the image copies whole.
    const copied = ["benchmarks", "domain"].map((dir) => path.join(PROJECT, dir) + path.sep);
    expect(modules.filter((m) => !copied.some((dir) => m.startsWith(dir))).map((m) => path.relative(PROJECT, m))).toEqual([]);
    expect(modules.some((m) => m.startsWith(copied[1]))).toBe(true);
    expect(contextFileAt(text, "/opt/edgecall/dist/benchmarks/cli.js")).toBe("dist/benchmarks/cli.js");
    expect(contextFileAt(text, "/opt/edgecall/dist/domain/summary.js")).toBe("dist/domain/summary.js");
    // The one file a module reads from the sources: the metrics store's migrations.
    expect(contextFileAt(text, "/opt/edgecall/benchmarks/db/migrations/001_runs_and_samples.sql")).toBe("benchmarks/db/migrations/001_runs_and_samples.sql");
    const { pkg, lock } = runtimePackage();
    expect(pkg.type).toBe(PACKAGE.type);
    // `edgecall sweep` drives Pulumi from a checkout, off the boards, and says so where the SDK is missing.
    expect([...packages].filter((p) => !builtinModules.includes(p) && pkg.dependencies[p] === undefined && !OFF_BOARD_PACKAGES.includes(p))).toEqual([]);
    expect(Object.keys(pkg.dependencies).filter((d) => d.startsWith("@pulumi/"))).toEqual([]);
    expect(Object.keys(lock).filter((k) => k.includes("@pulumi/"))).toEqual([]);
    const original = (JSON.parse(fs.readFileSync(path.join(PROJECT, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string }> }).packages;
    const moved = Object.entries(lock).filter(([k, v]) => k !== "" && original[k]?.version !== v.version);
    expect(moved.map(([k, v]) => `${k}: ${original[k]?.version ?? "not locked"} -> ${v.version}`)).toEqual([]);
    // The compiled CLI needs no TypeScript loader.
    expect(lock["node_modules/tsx"]).toBeUndefined();
  });

  it("has every program the CLI starts, bar tegrastats (`telemetry record` does without) and pulumi (`report --stack`, run off the boards)", () => {
    const provided = toolsCommands(tools());
    const spawned = new Set(cliModules().modules.flatMap(spawnedPrograms));
    expect(spawned).toContain("minimap2");
    expect([...spawned].filter((p) => !provided.has(p) && !OPTIONAL_PROGRAMS.includes(p))).toEqual([]);
  });

  it("records telemetry without tegrastats on PATH, from the rails in sysfs", () => {
    ensureBuilt();
    const out = path.join(tmp, "telemetry-auto.jsonl");
    const args = [EDGECALL_BIN, "telemetry", "record", "--out", out, "--interval-ms", "100", "--duration-s", "0.3"];
    const result = spawnSync(process.execPath, args, { encoding: "utf8", env: { ...process.env, PATH: path.join(tmp, "empty-path"), EDGECALL_SYSFS_ROOT: fakeSysfs() } });
    expect(result.stderr).toMatch(/^edgecall telemetry: [1-9]\d* samples written to /);
    expect(result.status).toBe(0);
  });

  it("has every command the benchmark, load, read-until and live pods run in it, and every command and file their pod scripts need", () => {
    const provided = toolsCommands(tools());
    const cliCommands = cliCommandNames();
    const toolContainers = podContainers().filter((c) => c.image === TOOLS_IMAGE);
    expect(toolContainers.map((c) => c.name).sort()).toEqual(["evaluate", "loadgen", "publish", "read-until", "telemetry"]);
    for (const container of toolContainers) {
      const [command, ...args] = container.command ?? [];
      expect(provided, `${container.name} runs ${command}`).toContain(command);
      if (command === "edgecall") expect(cliCommands, `${container.name} runs edgecall ${args[0]}`).toContain(args[0]);
      if (command !== "sh") continue;
      // A pod script comes from the scripts ConfigMap, mounted where the container reads it.
      const mount = container.volumeMounts?.find((m) => m.name === "scripts");
      expect(mount, `${container.name} mounts the scripts ConfigMap`).toBeDefined();
      expect(path.posix.dirname(args[0])).toBe(mount?.mountPath);
      const script = fs.readFileSync(path.join(POD_SCRIPTS, path.posix.basename(args[0])), "utf8");
      const calls = scriptCommands(script);
      expect(calls.map((c) => c.command)).toContain("edgecall");
      for (const { command: called, args: calledArgs } of calls) {
        expect(SH_BUILTINS.has(called) || provided.has(called), `${path.posix.basename(args[0])} runs ${called}, which the tools image lacks`).toBe(true);
        if (called === "edgecall") expect(cliCommands, `${args[0]} runs edgecall ${calledArgs[0]}`).toContain(calledArgs[0]);
        if (called !== "node") continue;
        // node runs a script from the same mount, with Node's own modules only: /scripts has no node_modules.
        expect(path.posix.dirname(calledArgs[0])).toBe(mount?.mountPath);
        const js = fs.readFileSync(path.join(POD_SCRIPTS, path.posix.basename(calledArgs[0])), "utf8");
        const required = [...js.matchAll(/\brequire\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1].replace(/^node:/, ""));
        expect(required.length).toBeGreaterThan(0);
        expect(required.filter((r) => !builtinModules.includes(r))).toEqual([]);
      }
    }
  });

  it("the command checks do catch what the image lacks", () => {
    const provided = toolsCommands(tools());
    const calls = scriptCommands('set -eu\nx=1\nif [ -n "$x" ]; then curl -s http://x | jq .; fi\nexec node /scripts/a.js \\\n  --flag\n');
    expect(calls.map((c) => c.command)).toEqual(["set", "[", "curl", "jq", "node"]);
    expect(calls[4].args).toEqual(["/scripts/a.js", "--flag"]);
    expect(calls.map((c) => c.command).filter((c) => !SH_BUILTINS.has(c) && !provided.has(c))).toEqual(["curl", "jq"]);
    expect(toolsCommands(tools().replace(/'minimap2=[^']*'/, "'samtools'"))).not.toContain("minimap2");
  });

  it("other components start its containers with commands it has", () => {
    const provided = toolsCommands(tools());
    const sources = fs.readdirSync(path.join(PROJECT, "components"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
    const commands = sources.flatMap((f) =>
      [...fs.readFileSync(path.join(PROJECT, "components", f), "utf8").matchAll(/image:\s*[\w.]*toolsImage,(?:\n[^\n]*){0,3}?\n\s*command:\s*\["([^"]+)"/g)].map(
        (m) => `${f}: ${m[1]}`,
      ),
    );
    expect(commands.some((c) => c.startsWith(path.join("benchmark-run", "job-spec.ts")))).toBe(true);
    expect(commands.filter((c) => !provided.has(c.split(": ")[1]))).toEqual([]);
  });
});

// ---- `edgecall` as the container's process --------------------------------------------------

/** A sysfs tree with one INA3221 rail (JetPack 5/6 hwmon layout), for `telemetry record --source sysfs`. */
function fakeSysfs(): string {
  const root = path.join(tmp, "sys");
  const hwmon = path.join(root, "bus/i2c/drivers/ina3221/1-0040/hwmon/hwmon1");
  fs.mkdirSync(hwmon, { recursive: true });
  fs.writeFileSync(path.join(hwmon, "in1_label"), "VDD_IN\n");
  fs.writeFileSync(path.join(hwmon, "in1_input"), "5000\n");
  fs.writeFileSync(path.join(hwmon, "curr1_input"), "1000\n");
  return root;
}

const unshareMissing =
  process.getuid?.() !== 0 ? "root" : spawnSync("unshare", ["--pid", "--fork", "true"]).status !== 0 ? "unshare --pid (util-linux) working as root" : undefined;

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

/** Starts `edgecall telemetry record` (in a PID namespace of its own, or not), sends its PID 1 SIGTERM and checks that the recording ends cleanly. */
async function recordAndTerminate(pidNamespace: boolean): Promise<void> {
  ensureBuilt();
  const out = path.join(tmp, `telemetry-${pidNamespace}.jsonl`);
  const argv = [process.execPath, EDGECALL_BIN, "telemetry", "record", "--out", out, "--interval-ms", "100", "--source", "sysfs"];
  // Its own process group, so that the finally below ends whatever is left, however the test went.
  const options = { env: { ...process.env, EDGECALL_SYSFS_ROOT: fakeSysfs() }, detached: true };
  const child: ChildProcess = pidNamespace ? spawn("unshare", ["--pid", "--fork", "--kill-child", ...argv], options) : spawn(argv[0], argv.slice(1), options);
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  try {
    expect(await until(() => fs.existsSync(out) && fs.readFileSync(out, "utf8").split("\n").length > 2, 20_000), stderr).toBe(true);
    // unshare --fork waits for its child, the namespace's PID 1, which is what gets the signal.
    const target = pidNamespace ? Number(fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim().split(/\s+/)[0]) : (child.pid as number);
    process.kill(target, "SIGTERM");
    const code = await Promise.race([exited, new Promise<string>((resolve) => setTimeout(() => resolve("still running 10 s after SIGTERM"), 10_000))]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/^edgecall telemetry: \d+ samples written to /m);
  } finally {
    try {
      process.kill(-(child.pid as number), "SIGKILL");
    } catch {
      // the group has ended
    }
  }
}

describe("`edgecall` as a container's command (the telemetry sidecar)", () => {
  // The kubelet ends a sidecar with SIGTERM to its PID 1, which the kernel drops unless PID 1 handles it.
  it("ends a telemetry recording on SIGTERM", () => recordAndTerminate(false));

  it.skipIf(skipOutsideCi(unshareMissing))("ends a telemetry recording on SIGTERM as PID 1 of a PID namespace, as in a container (needs root and unshare)", () => {
    requirePresent(unshareMissing);
    return recordAndTerminate(true);
  });
});

// ---- The converter image --------------------------------------------------------------------

describe("the converter image (images/converter/Dockerfile)", () => {
  const text = () => dockerfile("converter");

  it("links Debian's VBZ plugin, under the name HDF5 loads, into HDF5_PLUGIN_PATH", () => {
    const pluginPath = envOf(text())["HDF5_PLUGIN_PATH"];
    expect(pluginPath).toMatch(/^\/\S+$/);
    const install = runs(text()).find((r) => r.includes("libvbz-hdf-plugin0")) ?? "";
    expect(install).toMatch(/apt-get install -y --no-install-recommends libvbz-hdf-plugin0=\S+/);
    const link = /ln -s "\$\{plugin\}" "([^"]+)"/.exec(install)?.[1]?.replace("${HDF5_PLUGIN_PATH}", pluginPath);
    expect(link && path.posix.dirname(link)).toBe(pluginPath);
    // The name the runner tier links and the converter's error message give.
    const runnerTier = fs.readFileSync(path.join(PROJECT, "test", "setup", "install-runner-tier.sh"), "utf8");
    const name = /hdf5-plugins\/(\S+\.so)\b/.exec(runnerTier)?.[1];
    expect(name).toBe("libvbz_hdf_plugin.so");
    expect(link && path.posix.basename(link)).toBe(name);
    expect(fs.readFileSync(path.join(IMAGES, "converter", "edgecall_converter", "fast5.py"), "utf8")).toContain(name);
    expect(install).toMatch(/test -e "\$\{HDF5_PLUGIN_PATH\}\/libvbz_hdf_plugin\.so"/);
  });

  const dpkgList = spawnSync("dpkg", ["-L", "libvbz-hdf-plugin0"], { encoding: "utf8" });
  const packageMissing = dpkgList.status === 0 ? undefined : "Debian's libvbz-hdf-plugin0 installed (test/setup/install-runner-tier.sh)";
  it.skipIf(skipOutsideCi(packageMissing))("finds the plugin in the package's file list as Debian ships it (checked against this machine's package)", () => {
    requirePresent(packageMissing);
    const pattern = /dpkg -L libvbz-hdf-plugin0 \| grep '([^']+)'/.exec(text())?.[1];
    expect(pattern).toBeDefined();
    const grep = spawnSync("grep", [pattern as string], { input: dpkgList.stdout, encoding: "utf8" });
    expect(grep.stdout.trim().split("\n")).toHaveLength(1);
    expect(grep.stdout.trim()).toMatch(/^\/usr\/lib\/[^/]+\/libvbz_hdf_plugin\.so\.0$/);
  });

  it("installs the converter it copies with pinned h5py and numpy, and runs edgecall-convert as the pod does, unprivileged", () => {
    const t = text();
    expect(baseImage(t)).toBe("python:3.11-slim-bookworm");
    const target = copies(t).find((c) => c.source === "converter")?.target;
    expect(target).toBeDefined();
    const pip = runs(t).find((r) => r.includes("pip install")) ?? "";
    expect(pip.split(/\s+/)).toContain(target);
    const setup = fs.readFileSync(path.join(IMAGES, "converter", "setup.py"), "utf8");
    const requires = /install_requires=\[([^\]]*)\]/.exec(setup)?.[1].match(/"([^"]+)"/g)?.map((r) => r.slice(1, -1)) ?? [];
    expect(requires.sort()).toEqual(["h5py", "numpy"]);
    for (const r of requires) expect(pip).toMatch(new RegExp(`\\b${r}==\\d+(\\.\\d+)+\\b`));
    const script = /"([\w-]+)=edgecall_converter\.cli:main"/.exec(setup)?.[1];
    expect(script).toBe("edgecall-convert");
    expect(t).toMatch(new RegExp(`^ENTRYPOINT \\["${script}"\\]$`, "m"));
    expect(podContainers().find((c) => c.image === CONVERTER_IMAGE)?.command?.[0]).toBe(script);
    expect(t).toMatch(/^USER 10001$/m);
  });
});
