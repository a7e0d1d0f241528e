import * as pulumi from "@pulumi/pulumi";
import type { BoardKind } from "../../domain/models";
import { BoardConnection, hostStep } from "../remote/host-step";
import { BoardTuning, preflightStep, tuningSteps } from "./steps";

export interface JetsonNodeArgs {
  /** Kubernetes node name of the board. */
  nodeName: string;
  /** How to reach the board over SSH. */
  connection: BoardConnection;
  /** The sudo password of `connection.user` (a Pulumi secret); omit for root or NOPASSWD sudo. */
  sudoPassword?: pulumi.Input<string>;
  /** Power mode, clocks, fan, swap, headless boot and Docker runtime for this board. */
  tuning: BoardTuning;
}

/**
 * One Jetson board: preflight checks, then tuning steps over SSH, each undone on `pulumi destroy`.
 * Later components depend on `ready`, so K3s is installed only on a tuned board.
 */
export class JetsonNode extends pulumi.ComponentResource {
  public readonly nodeName: string;
  public readonly board: BoardKind;
  public readonly host: pulumi.Output<string>;
  /** L4T release found by preflight, e.g. `R32.7.1`. */
  public readonly l4tRelease: pulumi.Output<string>;
  /** Board model from the device tree, e.g. `NVIDIA Jetson Nano Developer Kit`. */
  public readonly model: pulumi.Output<string>;
  /** nvpmodel mode after tuning, as `<id> (<name>)`. */
  public readonly powerMode: pulumi.Output<string>;
  /** The last tuning step; depend on it to run after the board is ready. */
  public readonly ready: pulumi.Resource;

  constructor(name: string, args: JetsonNodeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("edgecall:jetson:JetsonNode", name, {}, opts);
    this.nodeName = args.nodeName;
    this.board = args.tuning.board;
    this.host = pulumi.output(args.connection.host);

    const preflight = hostStep(
      `${name}-preflight`,
      { connection: args.connection, step: preflightStep(args.tuning), sudoPassword: args.sudoPassword, undoable: false },
      { parent: this },
    );
    this.l4tRelease = preflight.facts.apply((facts) => requireFact(facts, "l4t", name));
    this.model = preflight.facts.apply((facts) => requireFact(facts, "model", name));

    let previous: pulumi.Resource = preflight.resource;
    let powerFacts: pulumi.Output<Record<string, string>> | undefined;
    for (const step of tuningSteps(args.tuning)) {
      const created = hostStep(
        `${name}-${step.name}`,
        { connection: args.connection, step, sudoPassword: args.sudoPassword, undoable: true },
        { parent: this, dependsOn: [previous] },
      );
      if (step.name === "power-mode") powerFacts = created.facts;
      previous = created.resource;
    }
    this.ready = previous;
    this.powerMode = (powerFacts ?? preflight.facts).apply(
      (facts) => `${requireFact(facts, "power_mode_id", name)} (${requireFact(facts, "power_mode_name", name)})`,
    );
    this.registerOutputs({ l4tRelease: this.l4tRelease, model: this.model, powerMode: this.powerMode });
  }
}

function requireFact(facts: Record<string, string>, key: string, node: string): string {
  const value = facts[key];
  if (value === undefined) throw new Error(`board ${node}: the host step did not report ${key}`);
  return value;
}
