import * as crypto from "crypto";
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { HostStep, RenderedStep, renderStep } from "./remote-step";

/** How to reach one board over SSH. Secrets stay Pulumi secrets from config to state. */
export interface BoardConnection {
  host: string;
  port: number;
  user: string;
  /** The SSH private key (a Pulumi secret). */
  privateKey: pulumi.Input<string>;
  /** Expected host key (`ssh-ed25519 AAAA...`); without it the host key is not checked. */
  hostKey?: string;
  /** Dial attempts before the board counts as unreachable. */
  dialErrorLimit: number;
  /** Seconds for each dial attempt. */
  perDialTimeout: number;
}

export interface HostStepArgs {
  connection: BoardConnection;
  /** The step; an Output when its values are known only after other resources (e.g. preflight facts). */
  step: HostStep | pulumi.Output<HostStep>;
  /** The sudo password, sent on stdin (a Pulumi secret); omit for root or NOPASSWD sudo. */
  sudoPassword?: pulumi.Input<string>;
  /** Secrets the script reads with `secret NAME`; sent on stdin, never on a command line. */
  secrets?: Record<string, pulumi.Input<string>>;
  /**
   * Whether the step has an undo and a check. Read-only steps (preflight) have neither: destroy
   * leaves them be and refresh does not look at the board for them.
   */
  undoable: boolean;
  /** Keep the facts secret (the step prints a secret, e.g. a kubeconfig). */
  secretFacts?: boolean;
}

/**
 * One host step as an `edgecall:host:Step` resource, served by the project's own provider plugin
 * (`./provider`): `apply` on create and update, `delete` on destroy, `check` on refresh, all over
 * one SSH connection per board.
 */
export class HostStepResource extends pulumi.CustomResource {
  /** The `key=value` lines the step printed. */
  public declare readonly facts: pulumi.Output<Record<string, string>>;
  /** Whether the last apply changed the board. */
  public declare readonly changed: pulumi.Output<boolean>;
  /** Whether the board was as apply leaves it when last looked at (false after refresh found drift). */
  public declare readonly inSync: pulumi.Output<boolean>;

  constructor(name: string, args: HostStepArgs, opts?: pulumi.CustomResourceOptions) {
    const step = pulumi.output(args.step);
    super(
      "edgecall:host:Step",
      name,
      {
        connection: connectionInputs(args.connection),
        sudoPassword: args.sudoPassword === undefined ? undefined : pulumi.secret(args.sudoPassword),
        secrets: args.secrets === undefined ? undefined : pulumi.secret(pulumi.all(args.secrets)),
        step: step.apply((s): RenderedStep => renderStep(s)),
        uploads: step.apply((s) => s.uploads),
        undoable: args.undoable,
        secretFacts: args.secretFacts ?? false,
        facts: undefined,
        changed: undefined,
        inSync: undefined,
      },
      { ...opts, additionalSecretOutputs: args.secretFacts ? ["facts"] : undefined },
    );
  }
}

function connectionInputs(connection: BoardConnection): pulumi.Input<Record<string, unknown>> {
  return {
    host: connection.host,
    port: connection.port,
    user: connection.user,
    privateKey: pulumi.secret(connection.privateKey),
    hostKey: connection.hostKey,
    dialErrorLimit: connection.dialErrorLimit,
    perDialTimeout: connection.perDialTimeout,
  };
}

/** A host step and the facts it printed. */
export function hostStep(
  name: string,
  args: HostStepArgs,
  opts: pulumi.CustomResourceOptions,
): { resource: HostStepResource; facts: pulumi.Output<Record<string, string>> } {
  const resource = new HostStepResource(name, args, opts);
  return { resource, facts: resource.facts };
}

/** sha256 of a local file, read in chunks (air-gap images are hundreds of MB). */
export function fileSha256(file: string): string {
  const hash = crypto.createHash("sha256");
  const fd = fs.openSync(file, "r");
  try {
    const buffer = Buffer.alloc(1 << 20);
    let read: number;
    while ((read = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0) hash.update(buffer.subarray(0, read));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest("hex");
}
