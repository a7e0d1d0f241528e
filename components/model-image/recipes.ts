import * as fs from "fs";
import * as path from "path";
import type { ModelName } from "../../domain/models";
import type { ImageRecipe } from "./model-image";
import { projectRoot } from "../../domain/project-files";

const PROJECT_DIR = projectRoot(__dirname);
const IMAGES_DIR = path.join(PROJECT_DIR, "images");

/** What images/<model>/model.json says of the model's image: its upstream, the pinned commit, its own packages. */
export interface ModelImageFacts {
  upstream: string;
  commit: string;
  image: { aptPackages: string[]; pipPackages: string[] };
}

export function modelImageFacts(model: ModelName): ModelImageFacts {
  return JSON.parse(fs.readFileSync(path.join(IMAGES_DIR, model, "model.json"), "utf8")) as ModelImageFacts;
}

/**
 * A model's runner image: the one template images/model/Dockerfile, whose context is `images/`
 * (the runner, the converter and the model's own folder beside it), with the model's build
 * arguments from images/<model>/model.json.
 */
export function modelRecipe(model: ModelName): ImageRecipe {
  const facts = modelImageFacts(model);
  return {
    context: IMAGES_DIR,
    dockerfile: path.join(IMAGES_DIR, "model", "Dockerfile"),
    args: {
      MODEL: model,
      UPSTREAM_REPO: facts.upstream,
      UPSTREAM_COMMIT: facts.commit,
      APT_PACKAGES: facts.image.aptPackages.join(" "),
      PIP_PACKAGES: facts.image.pipPackages.join(" "),
    },
  };
}

/** The converter image: `images/converter/Dockerfile`, context `images/`. */
export function converterRecipe(): ImageRecipe {
  return { context: IMAGES_DIR, dockerfile: path.join(IMAGES_DIR, "converter", "Dockerfile") };
}

/** The tools image: `images/tools/Dockerfile`; its context is the project, which holds `benchmarks/` and the lockfile. */
export function toolsRecipe(): ImageRecipe {
  return { context: PROJECT_DIR, dockerfile: path.join(IMAGES_DIR, "tools", "Dockerfile") };
}
