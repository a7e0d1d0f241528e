/**
 * The `edgecall` resource provider plugin: the Pulumi engine starts it (Pulumi.yaml names its
 * folder under `plugins.providers`) and sends it every `edgecall:host:Step`.
 */
import * as fs from "fs";
import * as path from "path";
import * as provider from "@pulumi/pulumi/provider";
import { projectRoot } from "../../../domain/project-files";
import { SshSessions } from "./ssh-sessions";
import { STEP_TYPE, StepProvider } from "./step-provider";

const { version } = JSON.parse(fs.readFileSync(path.join(projectRoot(__dirname), "package.json"), "utf8")) as { version: string };

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

/**
 * With EDGECALL_PROVIDER_TIMELINE set to a file, each operation appends one JSON line (operation,
 * resource, start and end in ms since the epoch): `npm run bench:provision` reads where the time goes.
 */
const timeline = process.env.EDGECALL_PROVIDER_TIMELINE;
async function timed<T>(op: string, urn: string, work: () => Promise<T>): Promise<T> {
  if (timeline === undefined) return work();
  const start = Date.now();
  try {
    return await work();
  } finally {
    fs.appendFileSync(timeline, `${JSON.stringify({ op, resource: urn.split("::").pop(), start, end: Date.now() })}\n`);
  }
}

const edgecall: provider.Provider = {
  version,
  check: (urn, _olds, news) => stepsFor(urn).check(urn, news),
  diff: (_id, urn, olds, news) => stepsFor(urn).diff(urn, olds, news),
  create: (urn, inputs) => timed("create", urn, () => stepsFor(urn).create(urn, inputs)),
  read: (id, urn, props) => timed("read", urn, () => stepsFor(urn).read(id, urn, props ?? {})),
  update: (_id, urn, _olds, news) => timed("update", urn, () => stepsFor(urn).update(urn, news)),
  delete: (_id, urn, props) => timed("delete", urn, () => stepsFor(urn).delete(urn, props)),
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
