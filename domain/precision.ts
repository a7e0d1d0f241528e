/** What `edgecall-runner --precision` accepts; fp16 is for the PyTorch models on CUDA. */
export const PRECISIONS = ["fp32", "fp16"] as const;
export type Precision = (typeof PRECISIONS)[number];
