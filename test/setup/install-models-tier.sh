#!/usr/bin/env bash
# What the models tier needs: the upstream networks' own code run on a CPU PyTorch.
# - Debian's python3-torch (1.13, CPU only, about 70 MB) rather than a PyPI wheel: PyPI's Linux
#   wheels bring the CUDA libraries (gigabytes) and the CPU-only wheels live on download.pytorch.org,
#   which CI cannot reach. It is built for Debian's /usr/bin/python3, so the tier's environment
#   (.venv-models) is made from that Python, with its site packages visible.
# - What the upstream modules import, pinned in test/setup/requirements/models-tier.txt, from a
#   cached environment (test/setup/lib/venv.sh) that is reused only once it imports all of them.
# - The runner, installed editable from images/runner. The FAST5 conversion runs in the runner tier's
#   environment (.venv-runner, with the VBZ plugin), so that tier's setup runs first.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=/dev/null # checked on its own
. test/setup/lib/apt.sh
# shellcheck source=/dev/null # checked on its own
. test/setup/lib/venv.sh

bash test/setup/install-runner-tier.sh
# python3-venv brings Debian's python3 (and ensurepip) where either is missing.
apt_install python3-torch python3-venv
# A torch whose packages an interrupted apt-get left unconfigured fails here (a missing liblapack,
# say): repair and try once more.
if ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
  echo "install-models-tier: Debian's torch does not import; repairing dpkg's state and reinstalling it" >&2
  apt_reinstall python3-torch
  /usr/bin/python3 -c "import torch" || { echo "install-models-tier: Debian's python3-torch still does not import" >&2; exit 1; }
fi
imports="torch numpy h5py scipy pandas statsmodels tensorboard Bio six onnx onnxruntime"
cached=$(cached_venv models /usr/bin/python3 test/setup/requirements/models-tier.txt "$imports" --system-site-packages)
checkout_venv .venv-models "$cached" /usr/bin/python3 --system-site-packages
checkout_editable .venv-models "$cached" images/runner
.venv-models/bin/python -c "import edgecall_runner, ${imports// /, }" ||
  { echo "install-models-tier: .venv-models does not import edgecall_runner and $imports" >&2; exit 1; }
