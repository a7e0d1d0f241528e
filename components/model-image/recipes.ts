import * as path from "path";
import type { ModelName } from "../../domain/models";
import type { ImageRecipe } from "./model-image";
import { projectRoot } from "../../domain/project-files";

const PROJECT_DIR = projectRoot(__dirname);
const IMAGES_DIR = path.join(PROJECT_DIR, "images");

/** A model's runner image: `images/<model>/Dockerfile`, whose context is `images/` (runner and converter beside it). */
export function modelRecipe(model: ModelName): ImageRecipe {
  return { context: IMAGES_DIR, dockerfile: path.join(IMAGES_DIR, model, "Dockerfile") };
}

/** The converter image: `images/converter/Dockerfile`, context `images/`. */
export function converterRecipe(): ImageRecipe {
  return { context: IMAGES_DIR, dockerfile: path.join(IMAGES_DIR, "converter", "Dockerfile") };
}

/** The tools image: `images/tools/Dockerfile`; its context is the project, which holds `benchmarks/` and the lockfile. */
export function toolsRecipe(): ImageRecipe {
  return { context: PROJECT_DIR, dockerfile: path.join(IMAGES_DIR, "tools", "Dockerfile") };
}
