/**
 * The `edgecall` resource provider plugin: the Pulumi engine starts it (Pulumi.yaml names its
 * folder under `plugins.providers`) and sends it every `edgecall:host:Step`.
 */
import * as provider from "@pulumi/pulumi/provider";
import { SshSessions } from "./ssh-sessions";
import { STEP_TYPE, StepProvider } from "./step-provider";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require("../../../package.json") as { version: string };

const ssh = new SshSessions();
const steps = new StepProvider(ssh);

/** The type token of a URN (`urn:pulumi:stack::project::[parent$]type::name`). */
function typeOf(urn: string): string {
  const qualified = urn.split("::")[2] ?? "";
  return qualified.split("$").pop() ?? qualified;
}

function stepsFor(urn: string): StepProvider {
  const type = typeOf(urn);
  if (type !== STEP_TYPE) throw new Error(`the edgecall provider has no resource type ${type} (only ${STEP_TYPE})`);
  return steps;
}

const edgecall: provider.Provider = {
  version,
  check: (urn, _olds, news) => stepsFor(urn).check(urn, news),
  diff: (_id, urn, olds, news) => stepsFor(urn).diff(urn, olds, news),
  create: (urn, inputs) => stepsFor(urn).create(urn, inputs),
  read: (id, urn, props) => stepsFor(urn).read(id, urn, props ?? {}),
  update: (_id, urn, _olds, news) => stepsFor(urn).update(urn, news),
  delete: (_id, urn, props) => stepsFor(urn).delete(urn, props),
};

// The engine does not always stop its plugins when it is killed (SIGKILL of `pulumi up`); an
// orphaned provider would keep its SSH connections open, so it leaves when its parent is gone.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) {
    ssh.closeAll();
    process.exit(1);
  }
}, 1000).unref();

provider.main(edgecall, process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`edgecall provider: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
