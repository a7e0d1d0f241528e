import { randomBytes } from "crypto";
import * as path from "path";
import type * as provider from "@pulumi/pulumi/provider";
import { StepAction, parseCheckOutput, parseStepOutput, renderStepCommand, renderStepStdin, shellQuote } from "../remote-step";
import { RemoteResult, SshSessions } from "./ssh-sessions";
import { diffBoard, diffStep } from "./step-diff";
import { StepInputs, StepOutputs, describeTarget, parseStepInputs } from "./step-state";
import { holdsUnknown, reveal, secret } from "./secrets";

/** The resource type this provider serves. */
export const STEP_TYPE = "edgecall:host:Step";

/** How much of a failed step's stderr goes into the error (the wrapper's one-line message is last). */
const STDERR_TAIL_LINES = 15;

/** The resource's name, from its URN (`urn:pulumi:stack::project::type::name`). */
function nameOf(urn: string): string {
  return urn.split("::").pop() ?? urn;
}

/**
 * Create, update, delete and refresh of a host step over SSH. Create and update run the step's
 * `apply`; delete runs its `delete` (steps marked undoable) and removes its uploaded files; a
 * refresh runs its `check`, which looks at the board without changing it, so `pulumi up --refresh`
 * finds and repairs drift (a power mode changed by hand, a stopped K3s) on exactly the steps that
 * drifted. Read-only steps (preflight, the kubeconfig read) are not looked at again on refresh.
 */
export class StepProvider {
  constructor(private readonly ssh: SshSessions) {}

  async check(urn: string, news: Record<string, unknown>): Promise<provider.CheckResult> {
    // In a preview, values that come from resources not created yet are unknown: checked on `up`.
    if (holdsUnknown(news)) return { inputs: news };
    try {
      parseStepInputs(reveal(news), nameOf(urn));
      return { inputs: news };
    } catch (error) {
      return { inputs: news, failures: [{ property: "step", reason: (error as Error).message }] };
    }
  }

  async diff(urn: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<provider.DiffResult> {
    if (holdsUnknown(news)) {
      // Only a preview gets here: the step will run again once its unknown values are known.
      const replaces = diffBoard(reveal(olds) as StepOutputs, reveal(news) as StepInputs);
      return { changes: true, replaces, deleteBeforeReplace: replaces.length > 0 };
    }
    const result = diffStep(reveal(olds) as StepOutputs, parseStepInputs(reveal(news), nameOf(urn)));
    return { changes: result.changes, replaces: result.replaces, deleteBeforeReplace: result.replaces.length > 0 };
  }

  async create(urn: string, inputs: Record<string, unknown>): Promise<provider.CreateResult> {
    const id = `${nameOf(urn)}-${randomBytes(4).toString("hex")}`;
    return { id, outs: await this.apply(urn, inputs) };
  }

  async update(urn: string, news: Record<string, unknown>): Promise<provider.UpdateResult> {
    return { outs: await this.apply(urn, news) };
  }

  async read(id: string, urn: string, props: Record<string, unknown>): Promise<provider.ReadResult> {
    const state = reveal(props) as StepOutputs;
    if (!state.undoable) return { id, props };
    const result = await this.run(nameOf(urn), state, "check");
    const found = parseCheckOutput(result.stdout);
    const facts = { ...state.facts, ...found.facts };
    return { id, props: { ...props, facts: state.secretFacts ? secret(facts) : facts, inSync: found.inSync } };
  }

  async delete(urn: string, props: Record<string, unknown>): Promise<void> {
    const state = reveal(props) as StepOutputs;
    if (!state.undoable) return;
    await this.run(nameOf(urn), state, "delete");
    if (state.uploads !== undefined) {
      await this.checked(nameOf(urn), state, "removing its uploaded files", `rm -rf -- ${shellQuote(state.uploads.dir)}`, "");
    }
  }

  private async apply(urn: string, rawInputs: Record<string, unknown>): Promise<Record<string, unknown>> {
    const inputs = parseStepInputs(reveal(rawInputs), nameOf(urn));
    await this.upload(nameOf(urn), inputs);
    const result = await this.run(nameOf(urn), inputs, "apply");
    const { facts, changed } = parseStepOutput(result.stdout);
    return { ...rawInputs, facts: inputs.secretFacts ? secret(facts) : facts, changed, inSync: true };
  }

  /** Runs the step's script as root through the wrapper; fails naming the board and the step. */
  private async run(resource: string, inputs: StepInputs, action: StepAction): Promise<RemoteResult> {
    const command = renderStepCommand(inputs.step, action);
    const stdin = renderStepStdin(inputs.sudoPassword, inputs.secrets);
    return this.checked(resource, inputs, `its ${action}`, command, stdin);
  }

  private async checked(resource: string, inputs: StepInputs, what: string, command: string, stdin: string): Promise<RemoteResult> {
    const result = await this.ssh.exec(inputs.connection, command, stdin);
    if (result.code === 0) return result;
    const tail = result.stderr.trim().split("\n").slice(-STDERR_TAIL_LINES).join("\n");
    const ended = result.code === null ? `was cut off${result.signal ? ` (${result.signal})` : " (connection lost)"}` : `exited ${result.code}`;
    throw new Error(`host step ${resource} on ${describeTarget(inputs.connection)}: ${what} ${ended}${tail ? `:\n${tail}` : ""}`);
  }

  /**
   * Puts the step's files in its upload directory, as the SSH user: only those missing or
   * different there (a re-run of an unchanged K3s install copies nothing), each checked after.
   */
  private async upload(resource: string, inputs: StepInputs): Promise<void> {
    if (inputs.uploads === undefined || inputs.uploads.files.length === 0) return;
    const { dir, files } = inputs.uploads;
    const targets = files.map((file) => file.target);
    for (const target of targets) {
      if (path.posix.isAbsolute(target) || target.split("/").includes("..")) {
        throw new Error(`host step ${resource}: upload target ${JSON.stringify(target)} must be a relative path inside ${dir}`);
      }
    }
    const parents = [...new Set(targets.map((target) => path.posix.dirname(target)).filter((d) => d !== "."))];
    const sums = async (): Promise<Map<string, string>> => {
      const listing = await this.checked(
        resource,
        inputs,
        "preparing its upload directory",
        [
          `install -d -m 700 ${shellQuote(dir)}`,
          `cd ${shellQuote(dir)}`,
          ...(parents.length > 0 ? [`mkdir -p -- ${parents.map(shellQuote).join(" ")}`] : []),
          `{ sha256sum -- ${targets.map(shellQuote).join(" ")} 2>/dev/null || true; }`,
        ].join(" && "),
        "",
      );
      return new Map(
        listing.stdout
          .split("\n")
          .map((line) => /^([0-9a-f]{64}) [ *](.+)$/.exec(line))
          .filter((match): match is RegExpExecArray => match !== null)
          .map((match) => [match[2], match[1]]),
      );
    };
    const missing = (found: Map<string, string>) => files.filter((file) => found.get(file.target) !== file.sha256);
    const toCopy = missing(await sums());
    await this.ssh.put(
      inputs.connection,
      toCopy.map((file) => ({ source: file.source, remotePath: path.posix.join(dir, file.target) })),
    );
    if (toCopy.length === 0) return;
    const wrong = missing(await sums());
    if (wrong.length > 0) {
      throw new Error(
        `host step ${resource} on ${describeTarget(inputs.connection)}: ${wrong[0].source} does not have sha256 ${wrong[0].sha256} on the board after copying; the file may have changed while it was copied: run 'pulumi up' again`,
      );
    }
  }
}
