import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { ImageSource } from "../../infra/images-config";
import { BaseTable, BoardRelease, chooseBase, digestOf } from "./bases";

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
    if (source.kind === "prebuilt") {
      const digest = digestOf(source.reference) ?? null;
      if (digest === null) {
        pulumi.log.warn(`${name}: ${source.reference} is a tag, not a digest; benchmark provenance records the tag only`, this);
      }
      this.reference = pulumi.output(source.reference);
      this.summary = pulumi.output({ reference: source.reference, digest });
    } else {
      if (args.registry === undefined) throw new pulumi.RunError(`${name}: a built image needs images.registry`);
      const choice = args.l4t;
      const base =
        choice === undefined
          ? pulumi.output(source.base === undefined ? undefined : { base: source.base, l4t: "" })
          : pulumi.all(choice.boards).apply((boards) => chooseBase(args.repository, boards, choice.table, source.base));
      const buildArgs = base.apply((chosen) => ({
        ...(args.recipe.args ?? {}),
        ...(source.upstreamCommit === undefined ? {} : { UPSTREAM_COMMIT: source.upstreamCommit }),
        ...(chosen === undefined ? {} : { L4T_BASE: chosen.base }),
      }));
      // The L4T major is in the tag, so an image for another release never overwrites this one.
      const tag = base.apply((chosen) => (chosen === undefined || chosen.l4t === "" ? "edgecall" : `l4t-${chosen.l4t.toLowerCase()}`));
      const image = new docker.Image(
        `${name}-image`,
        {
          imageName: pulumi.interpolate`${args.registry}/${args.repository}:${tag}`,
          build: { context: args.recipe.context, dockerfile: args.recipe.dockerfile, platform: "linux/arm64", args: buildArgs },
          skipPush: false,
        },
        { parent: this, dependsOn: args.after ?? [] },
      );
      this.reference = image.repoDigest;
      this.summary = pulumi.all([image.repoDigest, base]).apply(([reference, chosen]) => ({
        reference,
        digest: digestOf(reference) ?? null,
        ...(chosen === undefined ? {} : { base: chosen.base }),
      }));
    }
    this.registerOutputs({ reference: this.reference, summary: this.summary });
  }
}
