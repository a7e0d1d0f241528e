export { JetsonNode, JetsonNodeArgs } from "./jetson-node";
export { BoardTuning, preflightStep, tuningSteps } from "./steps";
export { boardSupport, l4tMajor } from "./board";
