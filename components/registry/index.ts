export { Registry, RegistryArgs, REGISTRY_NAME } from "./registry";
export { RegistryMirror, RegistryMirrorArgs, MirroredBoard } from "./registry-mirror";
export { registryMirrorStep } from "./mirror-step";
