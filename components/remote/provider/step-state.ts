import { z } from "zod";

/**
 * The inputs of an `edgecall:host:Step` resource, as the provider reads them (secrets revealed).
 * The program side (`../host-step.ts`) builds them; this schema is the contract between the two.
 */
const connection = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  user: z.string().min(1),
  privateKey: z.string().min(1),
  hostKey: z.string().optional(),
  dialErrorLimit: z.number().int().min(1),
  perDialTimeout: z.number().int().min(1),
});

const upload = z.object({ source: z.string().min(1), target: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/) });

export const stepInputs = z.object({
  connection,
  sudoPassword: z.string().optional(),
  secrets: z.record(z.string(), z.string()).optional(),
  step: z.object({
    name: z.string().min(1),
    script: z.string().min(1),
    env: z.record(z.string(), z.string()),
    replaceOn: z.array(z.string()).optional(),
  }),
  uploads: z.object({ dir: z.string().regex(/^\/[^\s]+$/), files: z.array(upload) }).optional(),
  /** Whether delete undoes the step and refresh checks it (read-only steps do neither). */
  undoable: z.boolean(),
  /** Keep the facts secret (the step prints one, e.g. a kubeconfig). */
  secretFacts: z.boolean(),
});

export type StepInputs = z.infer<typeof stepInputs>;
export type StepConnection = z.infer<typeof connection>;

/** What the provider adds to the inputs: what the step printed and what the last look found. */
export interface StepOutputs extends StepInputs {
  facts: Record<string, string>;
  /** The last apply changed the board. */
  changed: boolean;
  /** The last look at the board (apply, or check on refresh) found it as apply leaves it. */
  inSync: boolean;
}

export function parseStepInputs(value: unknown, what: string): StepInputs {
  const parsed = stepInputs.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
    throw new Error(`${what}: invalid host step inputs: ${problems.join("; ")}`);
  }
  return parsed.data;
}

/** `user@host:port`, as messages name a board. */
export function describeTarget(target: StepConnection): string {
  const host = target.host.includes(":") ? `[${target.host}]` : target.host;
  return `${target.user}@${host}:${target.port}`;
}
