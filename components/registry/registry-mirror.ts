import * as pulumi from "@pulumi/pulumi";
import { BoardConnection, HostStepResource, hostStep } from "../remote/host-step";
import { registryMirrorStep } from "./mirror-step";

/** A board that pulls from the in-cluster registry. */
export interface MirroredBoard {
  nodeName: string;
  role: "server" | "agent";
  connection: BoardConnection;
  sudoPassword?: pulumi.Input<string>;
  /** The board's K3s install; the mirror is configured after it. */
  install: pulumi.Resource;
}

export interface RegistryMirrorArgs {
  /** `host:port` of the in-cluster registry's NodePort on the server. */
  address: string;
  runtime: "docker" | "containerd";
  boards: MirroredBoard[];
}

/**
 * The mirror configuration on every board. It restarts K3s (or Docker) where it changes a file, so
 * it runs before any Kubernetes object is created: the caller makes those depend on `steps`.
 */
export class RegistryMirror extends pulumi.ComponentResource {
  /** The mirror step of each board, by node name. */
  public readonly stepsByNode: Record<string, HostStepResource>;
  public readonly steps: HostStepResource[];

  constructor(name: string, args: RegistryMirrorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("edgecall:registry:RegistryMirror", name, {}, opts);
    this.stepsByNode = Object.fromEntries(
      args.boards.map((board) => [
        board.nodeName,
        hostStep(
          `${name}-${board.nodeName}`,
          {
            connection: board.connection,
            step: registryMirrorStep(args.address, args.runtime, board.role),
            sudoPassword: board.sudoPassword,
            undoable: true,
          },
          { parent: this, dependsOn: [board.install] },
        ).resource,
      ]),
    );
    this.steps = Object.values(this.stepsByNode);
    this.registerOutputs({});
  }
}
