export { ModelService, ModelServiceArgs, STRIP_PREFIX_MIDDLEWARE, ingressPath, stripPrefixMiddleware } from "./model-service";
export { RUNNER_PORT, modelDeploymentSpec, serviceLabels, serviceName } from "./spec";
