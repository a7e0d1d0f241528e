import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { parseCheckOutput, parseStepOutput, renderStep, renderStepCommand, renderStepStdin, shellQuote } from "../../components/remote/remote-step";

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function tempScript(body: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-step-"));
  tempDirs.push(dir);
  const file = path.join(dir, "step.sh");
  fs.writeFileSync(file, `#!/usr/bin/env bash\n${body}`);
  return file;
}

/** Runs a rendered command the way sshd does: through `sh -c`, with the rendered stdin. */
function runLikeSshd(command: string, stdin: string) {
  return spawnSync("sh", ["-c", command], { input: stdin, encoding: "utf8" });
}

describe("host step command rendering", () => {
  it("runs the script with its plain values and secrets from stdin, none of them on the command line", () => {
    const script = tempScript('fact action "$EDGECALL_ACTION"\nfact mode "$EDGECALL_MODE"\nfact token "$(secret K3S_TOKEN)"\nchanged\n');
    const step = { name: "demo", scriptPath: script, env: { EDGECALL_MODE: "it's 5 W; $(touch /tmp/x)" } };
    const command = renderStepCommand(renderStep(step), "apply");
    const result = runLikeSshd(command, renderStepStdin(undefined, { K3S_TOKEN: "s3cr3t-token" }));
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(parseStepOutput(result.stdout)).toEqual({
      facts: { action: "apply", mode: "it's 5 W; $(touch /tmp/x)", token: "s3cr3t-token" },
      changed: true,
    });
    expect(command).not.toContain("s3cr3t-token");
  });

  it("passes the delete action and propagates a failing step's message and exit status", () => {
    const script = tempScript('[ "$EDGECALL_ACTION" = delete ] && fail "cannot undo: nothing stored"\nunchanged\n');
    const result = runLikeSshd(renderStepCommand(renderStep({ name: "undo", scriptPath: script, env: {} }), "delete"), renderStepStdin(undefined));
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim()).toMatch(/^edgecall: .+: undo: cannot undo: nothing stored$/);
  });

  it("removes the secrets file when the step ends", () => {
    const script = tempScript('fact file "$EDGECALL_SECRETS_FILE"\nunchanged\n');
    const result = runLikeSshd(renderStepCommand(renderStep({ name: "s", scriptPath: script, env: {} }), "apply"), renderStepStdin("pw", { A: "b" }));
    const file = parseStepOutput(result.stdout).facts.file;
    expect(file).toMatch(/^\/tmp\/edgecall-secrets\./);
    expect(fs.existsSync(file)).toBe(false);
  });

  it("rejects values that would break the line-based protocol", () => {
    const script = tempScript("unchanged\n");
    expect(() => renderStepCommand(renderStep({ name: "x", scriptPath: script, env: { lower: "a" } }), "apply")).toThrow(/environment name "lower"/);
    expect(() => renderStepCommand(renderStep({ name: "x", scriptPath: script, env: { A: "two\nlines" } }), "apply")).toThrow(/single line/);
    expect(() => renderStepStdin("pass\nword")).toThrow(/sudo password must be a single line/);
    expect(() => renderStepStdin(undefined, { T: "a\nb" })).toThrow(/secret T must be a single line/);
  });

  it("quotes for the shell so a value stays one argument", () => {
    const quoted = shellQuote(`a 'b' "c" $d`);
    expect(spawnSync("sh", ["-c", `printf %s ${quoted}`], { encoding: "utf8" }).stdout).toBe(`a 'b' "c" $d`);
  });

  it("requires the last line of a step's output to say whether it changed the board", () => {
    expect(parseStepOutput("l4t=R32.7.1\nunchanged\n")).toEqual({ facts: { l4t: "R32.7.1" }, changed: false });
    expect(() => parseStepOutput("l4t=R32.7.1\n")).toThrow(/must end with "changed" or "unchanged"/);
  });

  it("reads a check's verdict from its last line, and refuses a check without one", () => {
    expect(parseCheckOutput("power_mode_id=1\ndrifted\n")).toEqual({ facts: { power_mode_id: "1" }, inSync: false });
    expect(parseCheckOutput("in-sync\n")).toEqual({ facts: {}, inSync: true });
    expect(() => parseCheckOutput("unchanged\n")).toThrow(/must end with "in-sync" or "drifted"/);
  });
});
