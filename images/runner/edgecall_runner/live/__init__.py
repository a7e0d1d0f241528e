"""`edgecall-runner watch`: basecalls a sequencing run's files as the sequencer writes them
(docs/live.md)."""
