import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { ImageSource } from "./config";
import { BaseTable, BoardRelease, chooseBase, digestOf } from "./bases";
import { WeightsSource, weightsBuildArgs } from "./weights";

/** What a built image is made from: a Dockerfile in this repository and its context. */
export interface ImageRecipe {
  context: string;
  dockerfile: string;
  /** Build arguments besides the base (e.g. the upstream commit). */
  args?: Record<string, string>;
}

/** For model images: the boards that run it and the bases by L4T release. */
export interface L4tBaseChoice {
  boards: pulumi.Input<BoardRelease>[];
  table: BaseTable;
}

export interface ModelImageArgs {
  /** Repository name under the registry prefix, e.g. `sacall`. */
  repository: string;
  source: ImageSource;
  recipe: ImageRecipe;
  /** Registry prefix a built image is pushed under (`host:port[/path]`); required when `source` builds. */
  registry?: string;
  /** Chooses the `L4T_BASE` build argument from the boards' L4T release; absent for non-L4T images. */
  l4t?: L4tBaseChoice;
  /** The model's pinned weights; a URL becomes the WEIGHTS_URL and WEIGHTS_SHA256 build arguments. */
  weights?: WeightsSource;
  /** A build waits for these (the registry it pushes to); a component's dependsOn does not reach its children. */
  after?: pulumi.Resource[];
}

/** What the `images` stack output says of one image. */
export interface ImageSummary {
  /** What the pods run: `repo@sha256:...` for a built image, the configured reference otherwise. */
  reference: string;
  /** `sha256:...`, or null for a prebuilt reference given by tag. */
  digest: string | null;
  /** The base it was built from, for a built model image. */
  base?: string;
}

/**
 * One container image: built from the project's Dockerfile for linux/arm64 and pushed to the
 * registry, or a prebuilt reference. Pods use `reference`, which for a built image carries the
 * digest, so a rebuild rolls out and a benchmark records exactly what ran.
 */
export class ModelImage extends pulumi.ComponentResource {
  public readonly reference: pulumi.Output<string>;
  public readonly summary: pulumi.Output<ImageSummary>;

  constructor(name: string, args: ModelImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("edgecall:images:ModelImage", name, {}, opts);
    const source = args.source;
    let resolved: { reference: pulumi.Output<string>; summary: pulumi.Output<ImageSummary> };
    switch (source.kind) {
      case "prebuilt":
        resolved = this.prebuilt(name, source.reference);
        break;
      case "build":
        resolved = this.built(name, args, source);
        break;
      default: {
        const unknown: never = source;
        throw new pulumi.ResourceError(`${name}: unknown image source ${JSON.stringify(unknown)}`, this);
      }
    }
    this.reference = resolved.reference;
    this.summary = resolved.summary;
    this.registerOutputs({ reference: this.reference, summary: this.summary });
  }

  private prebuilt(name: string, reference: string): { reference: pulumi.Output<string>; summary: pulumi.Output<ImageSummary> } {
    const digest = digestOf(reference) ?? null;
    if (digest === null) {
      pulumi.log.warn(`${name}: ${reference} is a tag, not a digest; benchmark provenance records the tag only`, this);
    }
    return { reference: pulumi.output(reference), summary: pulumi.output({ reference, digest }) };
  }

  private built(
    name: string,
    args: ModelImageArgs,
    source: Extract<ImageSource, { kind: "build" }>,
  ): { reference: pulumi.Output<string>; summary: pulumi.Output<ImageSummary> } {
    if (args.registry === undefined) throw new pulumi.ResourceError(`${name}: a built image needs images.registry`, this);
    const choice = args.l4t;
    const base: pulumi.Output<{ base: string; l4t: string } | undefined> =
      choice === undefined
        ? pulumi.output(undefined)
        : pulumi.all(choice.boards).apply((boards) => {
            try {
              return chooseBase(args.repository, boards, choice.table, source.base);
            } catch (error) {
              throw new pulumi.ResourceError((error as Error).message, this);
            }
          });
    const buildArgs = base.apply((chosen) => ({
      ...(args.recipe.args ?? {}),
      ...(source.upstreamCommit === undefined ? {} : { UPSTREAM_COMMIT: source.upstreamCommit }),
      ...weightsBuildArgs(args.weights),
      ...(chosen === undefined ? {} : { L4T_BASE: chosen.base }),
    }));
    // The L4T major is in the tag, so an image for another release never overwrites this one.
    const tag = base.apply((chosen) => (chosen === undefined ? "edgecall" : `l4t-${chosen.l4t.toLowerCase()}`));
    const image = new docker.Image(
      `${name}-image`,
      {
        imageName: pulumi.interpolate`${args.registry}/${args.repository}:${tag}`,
        build: { context: args.recipe.context, dockerfile: args.recipe.dockerfile, platform: "linux/arm64", args: buildArgs },
        skipPush: false,
      },
      { parent: this, dependsOn: args.after ?? [] },
    );
    const summary = pulumi.all([image.repoDigest, base]).apply(([reference, chosen]) => ({
      reference,
      digest: digestOf(reference) ?? null,
      ...(chosen === undefined ? {} : { base: chosen.base }),
    }));
    return { reference: image.repoDigest, summary };
  }
}
