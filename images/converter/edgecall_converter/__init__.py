"""edgecall's FAST5 converter: the fixed read set of a benchmark, in the layout each model reads."""
__version__ = "0.1.0"
