import { z } from "zod";
import type { WeightsSource } from "./weights";
import { urlHost } from "../remote/url-host";
import { hasCredentials } from "../../domain/mask-url";
import { MODELS, ModelName } from "../../domain/models";

const COMMIT = /^[0-9a-f]{40}$/;
const SHA256 = /^[0-9a-f]{64}$/;
/** `host[:port][/path]`, no scheme: where images are pushed and what the boards pull from. */
const REGISTRY_ADDRESS = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;

const buildSchema = z.strictObject({
  /** Base image; by default the model's entry in images/bases.json for the board's L4T release. */
  base: z.string().min(1).optional(),
  /** Upstream commit to clone; by default the one the Dockerfile pins. */
  upstreamCommit: z.string().regex(COMMIT, "expected a full 40-character commit hash").optional(),
});

function toImageSource(source: string | { prebuilt: string } | { build: z.infer<typeof buildSchema> }): ImageSource {
  if (typeof source === "string") return { kind: "prebuilt", reference: source };
  if ("prebuilt" in source) return { kind: "prebuilt", reference: source.prebuilt };
  return { kind: "build", base: source.build.base, upstreamCommit: source.build.upstreamCommit };
}

/**
 * Where one image comes from. A string is a prebuilt reference (the short form of `prebuilt`);
 * `build` builds the project's Dockerfile for linux/arm64 and pushes it to `images.registry`.
 */
const imageSourceSchema = z
  .union([z.string().min(1), z.strictObject({ prebuilt: z.string().min(1) }), z.strictObject({ build: buildSchema })])
  .transform(toImageSource);

/**
 * A model's weights and their pinned sha256: `url` (https, fetched when the image is built) or `path`
 * (a file on every board that runs the model, mounted read-only into its pods).
 */
const weightsSchema = z
  .strictObject({
    /** https URL the image build downloads and checks with `sha256sum -c`. */
    url: z.string().min(1).optional(),
    /** Absolute path of the weights file on the boards. */
    path: z.string().min(1).optional(),
    /** sha256 of the file as `sha256sum` prints it. */
    // Optional here only so that a missing digest is reported on this field rather than as a union mismatch.
    sha256: z.string().regex(SHA256, "expected 64 lowercase hex characters (the digest sha256sum prints)").optional(),
  })
  .superRefine((weights, ctx) => {
    if (weights.sha256 === undefined) {
      ctx.addIssue({ code: "custom", path: ["sha256"], message: "is required: the file's sha256 (64 lowercase hex characters, as sha256sum prints it)", input: undefined });
    }
    if ((weights.url === undefined) === (weights.path === undefined)) {
      ctx.addIssue({ code: "custom", message: "give exactly one of url (fetched at image build) or path (a file on the boards)", input: weights });
    }
    if (weights.url !== undefined && !isHttpsUrl(weights.url)) {
      ctx.addIssue({ code: "custom", path: ["url"], message: "expected an https:// URL", input: weights.url });
    } else if (weights.url !== undefined && hasCredentials(weights.url)) {
      ctx.addIssue({
        code: "custom",
        path: ["url"],
        message:
          "carries a credential (a user, a password or a query), which the image build would keep in the image's history as a build argument; " +
          "download the weights yourself and give weights.path with their sha256, or serve them from a URL that needs no credential",
        input: weights.url,
      });
    }
    if (weights.path !== undefined && !weights.path.startsWith("/")) {
      ctx.addIssue({ code: "custom", path: ["path"], message: "expected an absolute path on the boards", input: weights.path });
    }
  })
  .transform((weights): WeightsSource =>
    weights.url !== undefined
      ? { kind: "url", url: weights.url, sha256: weights.sha256 ?? "" }
      : { kind: "path", path: weights.path ?? "", sha256: weights.sha256 ?? "" },
  );

function isHttpsUrl(text: string): boolean {
  try {
    return new URL(text).protocol === "https:";
  } catch {
    return false;
  }
}

/** A model's image, as an image source with optional pinned weights beside `prebuilt` or `build`. */
const modelImageSchema = z
  .union([
    z.string().min(1),
    z.strictObject({ prebuilt: z.string().min(1), weights: weightsSchema.optional() }),
    z.strictObject({ build: buildSchema, weights: weightsSchema.optional() }),
  ])
  .transform((source): ModelImageSource => {
    const image = toImageSource(source);
    return typeof source !== "string" && source.weights !== undefined ? { ...image, weights: source.weights } : image;
  });

/** An image source after validation. */
export type ImageSource =
  | { kind: "prebuilt"; reference: string }
  | { kind: "build"; base?: string; upstreamCommit?: string };

/** A model's image source and, when configured, the weights its runner must load. */
export type ModelImageSource = ImageSource & { weights?: WeightsSource };

const registrySchema = z.union([
  z.strictObject({
    /** A registry Deployment on the K3s server, which every board mirrors (sites without internet). */
    inCluster: z
      .strictObject({
        /** NodePort on the server that the Pulumi host pushes to and the boards pull from. */
        port: z.number().int().min(5000).max(32767).default(5000),
        /** Size of the registry's volume on the server. */
        storageGi: z.number().int().min(1).max(1024).default(20),
        /** The registry image (CNCF distribution, multi-arch). */
        image: z.string().min(1).default("registry:2.8.3"),
      })
      .default({ port: 5000, storageGi: 20, image: "registry:2.8.3" }),
  }),
  z.strictObject({
    /** A registry the Pulumi host and the boards both reach, e.g. `registry.lab:5000/edgecall`. */
    external: z.string().regex(REGISTRY_ADDRESS, "expected host[:port][/path] without a scheme"),
  }),
]);

/** The `images` part of the stack config: what each workload runs and where built images go. */
export const imagesConfigSchema = z.strictObject({
  /** Needed when any image is built: where it is pushed. */
  registry: registrySchema.optional(),
  /** Runner image of each model that a board runs. */
  models: z.partialRecord(z.enum(MODELS), modelImageSchema).default({}),
  /** The FAST5 converter image (images/converter/Dockerfile when built). */
  converter: imageSourceSchema.optional(),
  /** The tools image with the `edgecall` CLI (images/tools/Dockerfile when built). */
  tools: imageSourceSchema.optional(),
});

export type ImagesConfig = z.infer<typeof imagesConfigSchema>;
export type RegistryConfig = NonNullable<ImagesConfig["registry"]>;

/** Every image the config builds, by its config path, for the check that a registry is set. */
export function builtImagePaths(images: ImagesConfig): string[] {
  const entries: Array<[string, ImageSource | undefined]> = [
    ...Object.entries(images.models).map(([model, source]): [string, ImageSource | undefined] => [`images.models.${model}`, source]),
    ["images.converter", images.converter],
    ["images.tools", images.tools],
  ];
  return entries.filter(([, source]) => source?.kind === "build").map(([where]) => where);
}

/** `host:port` of the in-cluster registry's NodePort on the server, or undefined without one. */
export function inClusterRegistryAddress(images: ImagesConfig | undefined, serverHost: string): string | undefined {
  const registry = images?.registry;
  if (registry === undefined || !("inCluster" in registry)) return undefined;
  return `${urlHost(serverHost)}:${registry.inCluster.port}`;
}

/** Where built images are pushed: `<server>:<port>/edgecall` in the in-cluster registry, the external prefix as given. */
export function registryPushPrefix(images: ImagesConfig | undefined, serverHost: string): string | undefined {
  const registry = images?.registry;
  if (registry === undefined) return undefined;
  return "external" in registry ? registry.external : `${inClusterRegistryAddress(images, serverHost)}/edgecall`;
}

/**
 * What the schema cannot see from one entry: URL weights are fetched by the image build, so a
 * prebuilt image cannot take them; Chiron's weights are a TensorFlow checkpoint directory, not one file.
 */
export function weightsProblems(images: ImagesConfig | undefined): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  for (const [model, source] of Object.entries(images?.models ?? {}) as Array<[ModelName, ModelImageSource | undefined]>) {
    const weights = source?.weights;
    if (weights === undefined) continue;
    const where = `images.models.${model}.weights`;
    if (model === "chiron") {
      problems.push({ path: where, message: "Chiron's weights are a TensorFlow checkpoint directory (index, meta and data shards), not one file; use the checkpoint pinned in images/chiron/model.json" });
    } else if (weights.kind === "url" && source?.kind === "prebuilt") {
      problems.push({ path: `${where}.url`, message: "is fetched when the image is built, so it needs {build: {}}; a prebuilt image takes weights by path" });
    }
  }
  return problems;
}
