#!/bin/bash
# CATCaller's step after the clone (images/model/Dockerfile runs it): fairseq's dynamic and
# lightweight convolution CUDA kernels, which upstream imports from its root. A base without nvcc
# gets upstream's own fallback, the unfused PyTorch convolutions (slower).
set -euo pipefail
for layer in dynamicconv_layer lightconv_layer; do
  if [ -x /usr/local/cuda/bin/nvcc ]; then
    (cd "/opt/upstream/$layer" && PATH=/usr/local/cuda/bin:$PATH python3 cuda_function_gen.py && PATH=/usr/local/cuda/bin:$PATH python3 setup.py --quiet install)
  else
    echo "no nvcc in the base image: CATCaller uses its unfused PyTorch convolutions"
  fi
done
