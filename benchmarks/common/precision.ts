/**
 * What `edgecall-runner --precision` accepts; fp16 is for the PyTorch models on CUDA. Here rather than
 * in infra/ because the CLI (the tools image holds benchmarks/ only) reads it from run.json.
 */
export const PRECISIONS = ["fp32", "fp16"] as const;
export type Precision = (typeof PRECISIONS)[number];
