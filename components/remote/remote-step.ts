import * as fs from "fs";
import { besideModule } from "../../domain/project-files";

/**
 * What a host step is asked to do: converge the board, undo what `apply` did, or only look whether
 * the board is still as `apply` left it (`check`, run on `pulumi refresh`; it changes nothing).
 */
export type StepAction = "apply" | "delete" | "check";

/** A local file a step needs on the board, copied as the SSH user before the step runs. */
export interface StepUpload {
  /** Absolute local path. */
  source: string;
  /** Path under the step's upload directory, e.g. `k3s` or `data/reads/a.fast5`. */
  target: string;
  /** sha256 of the file: a new one makes the step run again. */
  sha256: string;
}

/** One host step: a bash script from a component folder and the plain (non-secret) values it reads. */
export interface HostStep {
  /** Short name used in messages and resource names, e.g. `power-mode`. */
  name: string;
  /** Absolute path of the step's script. */
  scriptPath: string;
  /** Values the script reads from its environment. Never put a secret here: it is visible in `ps`. */
  env: Record<string, string>;
  /** Files copied into `dir` on the board before `apply`; `dir` is removed after `delete`. */
  uploads?: { dir: string; files: StepUpload[] };
  /**
   * Values in `env` that name what the step is about rather than how it does it: a new value undoes
   * the step (delete) before applying it again, instead of applying it over the old one.
   */
  replaceOn?: string[];
}

/** A step as it travels to the board and into Pulumi's state: the script's text instead of its path. */
export interface RenderedStep {
  name: string;
  /** The prelude and the step's script, as one text that bash runs. */
  script: string;
  env: Record<string, string>;
  replaceOn?: string[];
}

const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;

const wrapperPath = besideModule(__dirname, "wrapper.sh");
const preludePath = besideModule(__dirname, "prelude.sh");

/** Quotes a value for a POSIX shell so that it reaches the program as exactly one argument. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'"'"'`)}'`;
}

function base64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}

/** The prelude and the step's own script, as one text that bash runs. */
export function stepScriptText(scriptPath: string): string {
  const body = fs.readFileSync(scriptPath, "utf8").replace(/^#!.*\n/, "");
  return `${fs.readFileSync(preludePath, "utf8")}\n${body}`;
}

/** The step with its script read from disk. */
export function renderStep(step: HostStep): RenderedStep {
  const rendered: RenderedStep = { name: step.name, script: stepScriptText(step.scriptPath), env: step.env };
  if (step.replaceOn !== undefined) rendered.replaceOn = step.replaceOn;
  return rendered;
}

/**
 * The command line sent over SSH for a step. It holds the wrapper and the script (base64, so no
 * quoting can break them) and the step's plain values; secrets go on stdin (see `renderStepStdin`).
 */
export function renderStepCommand(step: RenderedStep, action: StepAction): string {
  for (const [name, value] of Object.entries(step.env)) {
    if (!ENV_NAME.test(name)) {
      throw new Error(`host step ${step.name}: environment name ${JSON.stringify(name)} must match ${ENV_NAME}`);
    }
    if (value.includes("\n")) {
      throw new Error(`host step ${step.name}: value of ${name} must be a single line`);
    }
  }
  const wrapper = fs.readFileSync(wrapperPath, "utf8");
  const args = [
    step.name,
    action,
    base64(step.script),
    ...Object.entries(step.env).map(([name, value]) => `${name}=${value}`),
  ];
  return `bash -c "$(printf %s ${shellQuote(base64(wrapper))} | base64 -d)" edgecall-step ${args
    .map(shellQuote)
    .join(" ")}`;
}

/**
 * Standard input for a step: the sudo password line (empty when none), then one NAME=value line
 * per secret the script reads with `secret NAME`.
 */
export function renderStepStdin(sudoPassword: string | undefined, secrets: Record<string, string> = {}): string {
  const lines = [sudoPassword ?? ""];
  for (const [name, value] of Object.entries(secrets)) {
    if (!ENV_NAME.test(name)) throw new Error(`secret name ${JSON.stringify(name)} must match ${ENV_NAME}`);
    if (value.includes("\n")) throw new Error(`secret ${name} must be a single line`);
    lines.push(`${name}=${value}`);
  }
  if (lines[0].includes("\n")) throw new Error("the sudo password must be a single line");
  return `${lines.join("\n")}\n`;
}

/** Splits a step's stdout into its `key=value` facts and its last line, `changed` or `unchanged`. */
export function parseStepOutput(stdout: string): { facts: Record<string, string>; changed: boolean } {
  const lines = stdout.split("\n").map((line) => line.trimEnd()).filter((line) => line.length > 0);
  const last = lines[lines.length - 1];
  if (last !== "changed" && last !== "unchanged") {
    throw new Error(`host step output must end with "changed" or "unchanged", got ${JSON.stringify(last ?? "")}`);
  }
  return { facts: factsOf(lines.slice(0, -1)), changed: last === "changed" };
}

/** What `check` found: the facts the script printed and whether the board is as `apply` left it. */
export function parseCheckOutput(stdout: string): { facts: Record<string, string>; inSync: boolean } {
  const lines = stdout.split("\n").map((line) => line.trimEnd()).filter((line) => line.length > 0);
  const last = lines[lines.length - 1];
  if (last !== "in-sync" && last !== "drifted") {
    throw new Error(`a host step's check must end with "in-sync" or "drifted", got ${JSON.stringify(last ?? "")}`);
  }
  return { facts: factsOf(lines.slice(0, -1)), inSync: last === "in-sync" };
}

function factsOf(lines: string[]): Record<string, string> {
  const facts: Record<string, string> = {};
  for (const line of lines) {
    const eq = line.indexOf("=");
    if (eq > 0) facts[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return facts;
}
