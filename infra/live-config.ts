import * as path from "path";
import { z } from "zod";
import type { ConfigProblem } from "../domain/config-problem";
import { MODELS, ModelName } from "../domain/models";
import { DNS_LABEL as K8S_NAME } from "../domain/dns-label";

const absolute = (what: string) => z.string().refine((p) => path.posix.isAbsolute(p) && path.posix.normalize(p) === p, `${what} must be an absolute, normalised path on the board`);

/**
 * `edgecall:live`: run directories the boards watch (docs/live.md). Each entry is an
 * `edgecall-runner watch` Deployment on its node, restarted by Kubernetes, reading the run directory
 * where the sequencer (MinKNOW, or a share mounted on the board) writes and writing FASTQ beside it.
 */
export const liveWatchersSchema = z
  .array(
    z.strictObject({
      /** Names the Deployment (`edgecall-watch-<name>`). */
      name: z.string().regex(K8S_NAME, "expected a lowercase DNS label (a-z, 0-9, '-')").max(40),
      /** The node (`nodes[].name`) whose directory it watches and whose GPU calls it. */
      node: z.string().min(1),
      /** The model that calls the reads; the node must run it (`nodes[].models`), so its image and weights are there. */
      model: z.enum(MODELS),
      /** The run directory on the board (must exist), e.g. `/data/run1/pod5`. */
      runDir: absolute("runDir"),
      /** Where the FASTQ, the journal and the summary go (must exist, writable by uid 10001), outside runDir. */
      outputDir: absolute("outputDir"),
      /** Poll instead of inotify: a network file system written by another host sends no events. */
      poll: z.boolean().default(false),
      /** Seconds a FAST5 file found by polling must keep its size before it is read. */
      settleSeconds: z.number().positive().max(3600).default(2),
      /** Seconds an unreadable file must stay unchanged before it is set aside. */
      setAsideAfterSeconds: z.number().positive().max(86400).default(60),
      /** Seconds the backlog may stay above one file before the watcher warns and `keeping_up` drops. */
      backlogWindowSeconds: z.number().positive().max(86400).default(60),
    }),
  )
  .default([]);

export type LiveWatcherConfig = z.infer<typeof liveWatchersSchema>[number];

/** What the schema cannot see alone: the node exists and runs the model, names are unique, the directories are apart. */
export function liveWatcherProblems(watchers: readonly LiveWatcherConfig[], nodes: ReadonlyArray<{ name: string; models: readonly ModelName[] }>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const names = new Set<string>();
  watchers.forEach((w, i) => {
    const at = `live[${i}]`;
    if (names.has(w.name)) problems.push({ path: `${at}.name`, message: `${w.name} is used by another entry; give each a name of its own` });
    names.add(w.name);
    const node = nodes.find((n) => n.name === w.node);
    if (node === undefined) {
      problems.push({ path: `${at}.node`, message: `${w.node} is not a node of the stack (nodes[].name: ${nodes.map((n) => n.name).join(", ")})` });
    } else if (!node.models.includes(w.model)) {
      problems.push({ path: `${at}.model`, message: `${w.node} does not run ${w.model} (its models: ${node.models.join(", ") || "none"}); add it to that node's models or pick one of them` });
    }
    const inside = (a: string, b: string) => a === b || a.startsWith(`${b}/`);
    if (inside(w.outputDir, w.runDir) || inside(w.runDir, w.outputDir)) {
      problems.push({ path: `${at}.outputDir`, message: `${w.outputDir} overlaps runDir ${w.runDir}; the calls must go outside the run directory` });
    }
  });
  return problems;
}
