"""`edgecall-sequencer`: a sequencer stand-in that replays a dataset's reads into a run directory at
a flow cell's rate, in files written as MinKNOW writes them (docs/live.md)."""
