"""One adapter per model, all with the same shape: `name`, `upstream_commit`, `weights_sha256`,
`info()` and `basecall(signals) -> [(sequence, quality)]`, one result per picoampere signal, in order.
Adapters import their framework and the upstream code only when loaded, so the runner itself needs
nothing but numpy."""
