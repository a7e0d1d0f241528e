import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { HostStep, parseStepOutput, renderStepCommand, renderStepStdin } from "./remote-step";

/** How to reach one board over SSH. Secrets stay Pulumi secrets from config to state. */
export interface BoardConnection {
  host: string;
  port: number;
  user: string;
  /** The SSH private key (a Pulumi secret). */
  privateKey: pulumi.Input<string>;
  /** Expected host key; without it the host key is not checked. */
  hostKey?: string;
  /** Dial attempts before the board counts as unreachable. */
  dialErrorLimit: number;
  /** Seconds for each dial attempt. */
  perDialTimeout: number;
}

/** The @pulumi/command connection for a board; the private key stays secret. */
export function connectionArgs(connection: BoardConnection): command.types.input.remote.ConnectionArgs {
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

export interface HostStepCommandArgs {
  connection: BoardConnection;
  /** The step; an Output when its values are known only after other resources (e.g. preflight facts). */
  step: HostStep | pulumi.Output<HostStep>;
  /** The sudo password, sent on stdin (a Pulumi secret); omit for root or NOPASSWD sudo. */
  sudoPassword?: pulumi.Input<string>;
  /** Secrets the script reads with `secret NAME`; sent on stdin, never on a command line. */
  secrets?: Record<string, pulumi.Input<string>>;
  /** Whether the step has an undo (read-only steps such as preflight have none). */
  undoable: boolean;
  /** Keep stdout out of logs and mark it secret (the step prints a secret, e.g. a kubeconfig). */
  secretOutput?: boolean;
}

/**
 * A host step as a `command.remote.Command`: `apply` on create and update, `delete` on destroy.
 * Returns the resource and the facts the script printed.
 */
export function hostStepCommand(
  name: string,
  args: HostStepCommandArgs,
  opts: pulumi.CustomResourceOptions,
): { command: command.remote.Command; facts: pulumi.Output<Record<string, string>> } {
  const secretEntries = Object.entries(args.secrets ?? {});
  const stdin =
    args.sudoPassword === undefined && secretEntries.length === 0
      ? renderStepStdin(undefined)
      : pulumi.secret(
          pulumi
            .all([pulumi.output(args.sudoPassword), pulumi.all(Object.fromEntries(secretEntries))])
            .apply(([password, secrets]) => renderStepStdin(password, secrets as Record<string, string>)),
        );
  const step = pulumi.output(args.step);
  const resource = new command.remote.Command(
    name,
    {
      connection: connectionArgs(args.connection),
      create: step.apply((s) => renderStepCommand(s, "apply")),
      delete: args.undoable ? step.apply((s) => renderStepCommand(s, "delete")) : undefined,
      stdin,
      // The previous run's output is not needed and would travel as environment variables, which
      // most SSH servers refuse (AcceptEnv).
      addPreviousOutputInEnv: false,
      logging: args.secretOutput ? "stderr" : "stdoutAndStderr",
    },
    { ...opts, additionalSecretOutputs: args.secretOutput ? ["stdout"] : undefined },
  );
  return { command: resource, facts: resource.stdout.apply((stdout) => parseStepOutput(stdout).facts) };
}
