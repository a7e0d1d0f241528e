import { ENGINE_PRECISIONS, Engine, Precision } from "./precision";

/** The four published basecallers edgecall deploys. */
export const MODELS = ["sacall", "catcaller", "chiron", "rodan"] as const;
export type ModelName = (typeof MODELS)[number];

/** The models the runner can run in half precision: Chiron is TensorFlow 1.x. */
export const HALF_PRECISION_MODELS: readonly ModelName[] = ["sacall", "catcaller", "rodan"];

/**
 * Models an engine other than PyTorch can run: their graphs export faithfully. Chiron is TensorFlow;
 * CATCaller's dynamic and lightweight convolutions write into a strided view, which torch.onnx does
 * not export faithfully (the runner's parity check measured 0.50 decoded identity), so both stay torch.
 */
export const ENGINE_MODELS: readonly ModelName[] = ["sacall", "rodan"];

/** The engine a model runs on: its own `engines` entry, else the benchmark's engine where it can take it, else torch. */
export function engineFor(model: ModelName, engine: Engine, perModel: Partial<Record<ModelName, Engine>> = {}): Engine {
  return perModel[model] ?? (ENGINE_MODELS.includes(model) ? engine : "torch");
}

/**
 * The precision a model runs in when the benchmark asks for `requested` on `engine`: Chiron stays
 * fp32, and so does a model on PyTorch asked for int8 (PyTorch has no int8 kernels on CUDA).
 */
export function precisionFor(model: ModelName, requested: Precision, engine: Engine = "torch"): Precision {
  if (!HALF_PRECISION_MODELS.includes(model)) return "fp32";
  return !ENGINE_PRECISIONS[engine].includes(requested) ? "fp32" : requested;
}

/** The NodePort each model's service answers on, on the board that runs it (the seed's ports). */
export const MODEL_NODE_PORTS: Readonly<Record<ModelName, number>> = { sacall: 6001, catcaller: 6002, chiron: 6003, rodan: 6004 };

/** Board kinds edgecall supports; each maps to the JetPack (L4T) releases it accepts. */
export const BOARDS = ["nano", "xavier", "orin"] as const;
export type BoardKind = (typeof BOARDS)[number];

/**
 * The NodePort range K3s is started with. The model ports (6001-6004) and the in-cluster registry
 * (5000) sit below Kubernetes' default 30000-32767, so the server widens the range.
 */
export const NODE_PORT_RANGE = "5000-32767";
