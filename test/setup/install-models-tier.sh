#!/usr/bin/env bash
# What the models tier needs: the upstream networks' own code run on a CPU PyTorch.
# - Debian's python3-torch (1.13, CPU only, about 70 MB) rather than a PyPI wheel: PyPI's Linux
#   wheels bring the CUDA libraries (gigabytes) and the CPU-only wheels live on download.pytorch.org,
#   which CI cannot reach. It is built for Debian's /usr/bin/python3, so the tier's virtual
#   environment (.venv-models) is made from that Python, with its site packages visible.
# - What the upstream modules import: statsmodels (SACall and CATCaller's trimming), tensorboard
#   (RODAN's model.py), biopython and six (Chiron's assembler, the one part of Chiron that runs
#   without TensorFlow 1.x), and NumPy below 2, which Debian's torch was built against.
# - The runner, installed editable from images/runner. The FAST5 conversion runs in the runner tier's
#   environment (.venv-runner, with the VBZ plugin), so that tier's setup runs first.
set -euo pipefail
cd "$(dirname "$0")/../.."

bash test/setup/install-runner-tier.sh
missing=()
[ -f /usr/lib/python3/dist-packages/torch/__init__.py ] || missing+=(python3-torch)
# Debian's python3-venv brings Debian's python3 (and ensurepip) when either is missing.
{ [ -x /usr/bin/python3 ] && /usr/bin/python3 -c "import ensurepip" 2>/dev/null; } || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
[ -x .venv-models/bin/python ] || /usr/bin/python3 -m venv --system-site-packages .venv-models
.venv-models/bin/pip install -q --disable-pip-version-check "numpy==1.26.4" "scipy==1.14.1" "pandas==2.2.3" "statsmodels==0.14.4" "tensorboard==2.18.0" \
  "biopython==1.84" "six==1.16.0"
.venv-models/bin/pip install -q --disable-pip-version-check --no-deps -e images/runner
