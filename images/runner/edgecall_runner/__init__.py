"""edgecall's model runner: `edgecall-runner batch` and `edgecall-runner serve` for every model."""
__version__ = "0.1.0"
