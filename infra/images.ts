import * as pulumi from "@pulumi/pulumi";
import { ImageSummary, ModelImage, converterRecipe, modelRecipe, readBaseTable, toolsRecipe } from "../components/model-image";
import type { ProvisionedCluster } from "./cluster";
import { StackConfig, placedModels } from "./config";
import { ImageSource, registryPushPrefix } from "../components/model-image/config";
import { ModelName } from "../domain/models";

/** Every image the stack runs, as references the pods use, with their summaries for the `images` output. */
export interface StackImages {
  models: Partial<Record<ModelName, pulumi.Output<string>>>;
  converter?: pulumi.Output<string>;
  tools?: pulumi.Output<string>;
  summaries: pulumi.Output<Record<string, ImageSummary>>;
}

/** The images of the models the boards run, the converter and the tools; built ones after `registryReady`. */
export function buildImages(config: StackConfig, cluster: ProvisionedCluster, registryReady: pulumi.Resource[]): StackImages {
  const registry = registryPushPrefix(config.images, cluster.server.node.host);
  const table = readBaseTable();
  const placed = placedModels(config);
  const images: Array<[string, ModelImage]> = [];
  const models: StackImages["models"] = {};
  for (const model of placed) {
    const source = config.images?.models[model];
    if (source === undefined) continue;
    const boards = cluster.members
      .filter((member) => member.node.models.includes(model))
      .map((member) => member.l4tRelease.apply((l4tRelease) => ({ nodeName: member.node.name, l4tRelease })));
    const image = new ModelImage(`image-${model}`, { repository: model, source, recipe: modelRecipe(model), registry, l4t: { boards, table }, weights: source.weights, after: registryReady });
    models[model] = image.reference;
    images.push([model, image]);
  }
  const other = (key: "converter" | "tools", source: ImageSource | undefined) => {
    if (source === undefined) return undefined;
    const recipe = key === "converter" ? converterRecipe() : toolsRecipe();
    const image = new ModelImage(`image-${key}`, { repository: key, source, recipe, registry, after: registryReady });
    images.push([key, image]);
    return image.reference;
  };
  const converter = other("converter", config.images?.converter);
  const tools = other("tools", config.images?.tools);
  const summaries = pulumi.all(Object.fromEntries(images.map(([key, image]) => [key, image.summary])));
  return { models, converter, tools, summaries };
}
