#!/usr/bin/env bash
# What the runner tier needs: Debian's VBZ HDF5 plugin, linked under the name HDF5 looks for
# (libvbz_hdf_plugin.so) in .venv-runner/hdf5-plugins, and .venv-runner: the pinned packages of
# test/setup/requirements/runner-tier.txt (numpy, h5py, pod5 for the converter's POD5 input and the
# test files `pod5 convert fast5` makes, onnx and onnxruntime for the engines, vermin, hadolint) from a cached environment
# (test/setup/lib/venv.sh), with the checkout's converter and runner installed editable.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=/dev/null # checked on its own
. test/setup/lib/apt.sh
# shellcheck source=/dev/null # checked on its own
. test/setup/lib/venv.sh

# python3-venv: Debian's python3 makes no environment without it.
apt_install libvbz-hdf-plugin0 python3-venv
cached=$(cached_venv runner python3 test/setup/requirements/runner-tier.txt "numpy h5py pod5 vermin wheel pytest onnx onnxruntime")
checkout_venv .venv-runner "$cached" python3
checkout_editable .venv-runner "$cached" images/converter images/runner
mkdir -p .venv-runner/hdf5-plugins
ln -sf "$(compgen -G "/usr/lib/*/libvbz_hdf_plugin.so.0" | head -n 1)" .venv-runner/hdf5-plugins/libvbz_hdf_plugin.so
.venv-runner/bin/python -c "import edgecall_runner, edgecall_converter" ||
  { echo "install-runner-tier: .venv-runner does not import the checkout's runner and converter" >&2; exit 1; }
