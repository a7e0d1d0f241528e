"""Prints K3s's /etc/rancher/k3s/config.yaml (the subset edgecall's install step writes) as shell
assignments for the stand-in launcher: `NAME=value` lines, values shell-quoted, lists joined with
commas. Keys become upper case with dashes as underscores: `node-label` is NODE_LABEL."""
import json
import shlex
import sys


def parse(text):
    config, key = {}, None
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("  - ") and key is not None:
            config.setdefault(key, []).append(scalar(line[4:]))
            continue
        name, _, value = line.partition(":")
        key = name.strip()
        value = value.strip()
        if value:
            config[key] = scalar(value)
    return config


def scalar(text):
    # The install step writes double-quoted YAML scalars, which JSON reads the same way.
    return json.loads(text) if text.startswith('"') else text


def main(path):
    with open(path, encoding="utf-8") as handle:
        config = parse(handle.read())
    for key, value in sorted(config.items()):
        if isinstance(value, list):
            value = ",".join(value)
        print("{}={}".format(key.upper().replace("-", "_"), shlex.quote(str(value))))


if __name__ == "__main__":
    main(sys.argv[1])
