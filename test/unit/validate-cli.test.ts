import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { PROJECT_DIR } from "./helpers/pulumi-mocks";

function validate(...files: string[]) {
  const result = spawnSync(path.join(PROJECT_DIR, "node_modules/.bin/tsx"), ["infra/validate.ts", ...files], {
    cwd: PROJECT_DIR,
    encoding: "utf8",
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run validate", () => {
  it("exits 0 with one summary line per node, then the images and services, for a valid stack", () => {
    const { code, stdout, stderr } = validate("stacks/Pulumi.lab.yaml");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toBe("stacks/Pulumi.lab.yaml: valid");
    expect(lines.slice(1)).toHaveLength(8);
    expect(lines[2]).toBe("  nano-sacall: agent nano at jetson@192.168.50.11:22, nvpmodel 0, models sacall");
    expect(lines[6]).toBe("  images: sacall build, catcaller build, chiron build, rodan build, converter build, tools build -> 192.168.50.10:5000/edgecall (in-cluster)");
    expect(lines[7]).toBe("  services: sacall :6001, catcaller :6002, chiron :6003, rodan :6004; metrics store on (grafana :30300); telemetry :9102 (auto)");
    expect(lines[8]).toBe("  live minion-1: rodan on nano-rodan watches /data/minknow/current/pod5, calls to /data/calls/minion-1");
  });

  it("exits 1 naming every bad field, one line each, with no stack trace", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-validate-"));
    const file = path.join(dir, "Pulumi.lab.yaml");
    const text = fs
      .readFileSync(path.join(PROJECT_DIR, "stacks/Pulumi.lab.yaml"), "utf8")
      .replace("role: agent", "role: master")
      .replace("swapMb: 4096", "swapMb: -1");
    fs.writeFileSync(file, text);
    const { code, stdout, stderr } = validate(file);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    const lines = stderr.trim().split("\n");
    expect(lines).toEqual([
      `${file}: nodes[1].role: Invalid option: expected one of "server"|"agent", got "master"`,
      `${file}: power.swapMb: Too small: expected number to be >=0, got -1`,
    ]);
    expect(stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  /** Runs the validator on a copy of the lab stack, edited as text, and returns its stderr lines. */
  function problemsInEditedLab(edit: (text: string) => string): { code: number | null; file: string; lines: string[] } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-validate-"));
    const file = path.join(dir, "Pulumi.lab.yaml");
    fs.writeFileSync(file, edit(fs.readFileSync(path.join(PROJECT_DIR, "stacks/Pulumi.lab.yaml"), "utf8")));
    const { code, stderr } = validate(file);
    fs.rmSync(dir, { recursive: true, force: true });
    return { code, file, lines: stderr.trimEnd().split("\n") };
  }

  it("names a directory given as a stack file and goes on to the files after it, with no stack trace", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-validate-"));
    const { code, stdout, stderr } = validate(dir, "stacks/Pulumi.lab.yaml");
    fs.rmSync(dir, { recursive: true, force: true });
    expect(code).toBe(1);
    expect(stderr).toBe(`${dir}: is a directory; give a stack file (stacks/Pulumi.<stack>.yaml)\n`);
    expect(stdout.split("\n")[0]).toBe("stacks/Pulumi.lab.yaml: valid");
  });

  it("stops a YAML alias bomb in one line naming the file, with no stack trace", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-validate-"));
    const file = path.join(dir, "Pulumi.bomb.yaml");
    // Nine aliases wide, eight levels deep: 9^8 nodes if expanded.
    const levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i <= 8; i++) levels.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(", ")}]`);
    fs.writeFileSync(file, `${levels.join("\n")}\nconfig:\n  edgecall:nodes: *a8\n`);
    const { code, stderr } = validate(file);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`^${file.replace(/[.]/g, "\\.")}: not valid YAML: [^\\n]+\\n$`));
  });

  it("never shows a weights URL's user, password or token, and refuses credentials in an https weights URL", () => {
    const leaky = problemsInEditedLab((text) =>
      text.replace("      sacall: {build: {}}", "      sacall: {build: {}, weights: {url: 'http://alice:S3cretPW@example.org/w.bin?token=TOKEN123', sha256: " + "a".repeat(64) + "}}"),
    );
    expect(leaky.code).toBe(1);
    expect(leaky.lines).toEqual([`${leaky.file}: images.models.sacall.weights.url: expected an https:// URL, got "http://***:***@example.org/w.bin?***"`]);
    const https = problemsInEditedLab((text) =>
      text.replace("      sacall: {build: {}}", "      sacall: {build: {}, weights: {url: 'https://alice:S3cretPW@example.org/w.bin?token=TOKEN123', sha256: " + "a".repeat(64) + "}}"),
    );
    expect(https.lines).toHaveLength(1);
    expect(https.lines[0]).toMatch(/images\.models\.sacall\.weights\.url: carries a credential \(a user, a password or a query\), which the image build would keep in the image's history/);
    expect(https.lines[0]).toContain("give weights.path with their sha256");
    for (const secret of ["alice", "S3cretPW", "TOKEN123"]) expect([...leaky.lines, ...https.lines].join("\n")).not.toContain(secret);
  });

  it("refuses two hostnames that differ only in case, naming both entries", () => {
    const { code, file, lines } = problemsInEditedLab((text) =>
      text.replace("host: 192.168.50.12", "host: nano-a.local").replace("host: 192.168.50.13", "host: NANO-A.local"),
    );
    expect(code).toBe(1);
    expect(lines).toEqual([`${file}: nodes[3].host: NANO-A.local:22 is already the address of nodes[2] (nano-a.local:22: hostnames ignore case)`]);
  });

  it("names a key in a misspelt namespace and suggests edgecall:, leaving other providers' keys alone", () => {
    const { code, file, lines } = problemsInEditedLab((text) => `${text.replace("\n  edgecall:power:", "\n  edgecal:power:")}  kubernetes:context: lab\n`);
    expect(code).toBe(1);
    expect(lines).toEqual([`${file}: edgecal:power: unknown namespace 'edgecal'; did you mean edgecall:power?`]);
  });

  it("reports a YAML syntax error once, at file:line:col with the reason, and the line with a caret", () => {
    const { code, file, lines } = problemsInEditedLab((text) => text.replace("    - name: nano-sacall", "    - name: nano-sacall: extra"));
    expect(code).toBe(1);
    expect(lines).toEqual([`${file}:11:13: not valid YAML: Nested mappings are not allowed in compact mappings`, "        - name: nano-sacall: extra", "                ^"]);
  });

  it("exits 2 with usage when no file is given", () => {
    const { code, stderr } = validate();
    expect(code).toBe(2);
    expect(stderr).toMatch(/^usage: npm run validate -- stacks\/Pulumi\.<stack>\.yaml/);
  });
});
