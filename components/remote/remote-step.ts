import * as fs from "fs";
import * as path from "path";

/** What a host step is asked to do: converge the board, or undo what `apply` did. */
export type StepAction = "apply" | "delete";

/** One host step: a bash script from a component folder and the plain (non-secret) values it reads. */
export interface HostStep {
  /** Short name used in messages and resource names, e.g. `power-mode`. */
  name: string;
  /** Absolute path of the step's script. */
  scriptPath: string;
  /** Values the script reads from its environment. Never put a secret here: it is visible in `ps`. */
  env: Record<string, string>;
}

const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;

const wrapperPath = path.join(__dirname, "wrapper.sh");
const preludePath = path.join(__dirname, "prelude.sh");

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

/**
 * The command line sent over SSH for a step. It holds the wrapper and the script (base64, so no
 * quoting can break them) and the step's plain values; secrets go on stdin (see `renderStepStdin`).
 */
export function renderStepCommand(step: HostStep, action: StepAction): string {
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
    base64(stepScriptText(step.scriptPath)),
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
  const facts: Record<string, string> = {};
  for (const line of lines.slice(0, -1)) {
    const eq = line.indexOf("=");
    if (eq > 0) facts[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return { facts, changed: last === "changed" };
}
