export { ModelImage, ModelImageArgs, ImageRecipe, ImageSummary, L4tBaseChoice } from "./model-image";
export { converterRecipe, modelRecipe, toolsRecipe } from "./recipes";
export { BASES_FILE, BaseTable, BoardRelease, chooseBase, digestOf, readBaseTable } from "./bases";
export { WEIGHTS_FILE, WEIGHTS_VOLUME, WeightsSource, weightsBuildArgs, weightsEnv, weightsMounts, weightsVolumes } from "./weights";
