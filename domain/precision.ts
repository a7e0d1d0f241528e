/** What `edgecall-runner --precision` accepts: fp16 for the PyTorch models on CUDA (torch, tensorrt), int8 for the engines. */
export const PRECISIONS = ["fp32", "fp16", "int8"] as const;
export type Precision = (typeof PRECISIONS)[number];

/** What `edgecall-runner --engine` accepts: the model's own framework, or its graph exported and run by another. */
export const ENGINES = ["torch", "onnxruntime", "tensorrt"] as const;
export type Engine = (typeof ENGINES)[number];

/** The precisions each engine honours (the runner refuses the others before loading). */
export const ENGINE_PRECISIONS: Readonly<Record<Engine, readonly Precision[]>> = {
  torch: ["fp32", "fp16"],
  onnxruntime: ["fp32", "int8"],
  tensorrt: ["fp32", "fp16", "int8"],
};
