"""The watcher's journal: one JSON line per input file finished or set aside, appended and synced,
so that a watcher killed at any moment and started again neither loses nor repeats a file.

A file's outputs are written under temporary names and renamed, FASTQ last: its FASTQ existing is
the commit. The journal line follows; a watcher killed between the two finds the FASTQ at start and
journals the file then (`recover`)."""
import json
import os

JOURNAL = "journal.jsonl"
PARTIAL = ".partial"


def output_paths(output_dir, relative):
    """Where a run file's FASTQ and its per-read records go: beside each other, by its relative path."""
    stem = os.path.join(output_dir, "calls", relative)
    return stem + ".fastq", stem + ".reads.jsonl"


class Journal(object):
    def __init__(self, output_dir):
        self.output_dir = output_dir
        self.path = os.path.join(output_dir, JOURNAL)
        self.entries = {}
        if os.path.exists(self.path):
            with open(self.path) as handle:
                for line in handle:
                    try:
                        entry = json.loads(line)
                    except ValueError:
                        # The last line of a journal cut off by a kill: its file is journaled again.
                        continue
                    self.entries[entry["file"]] = entry
        self._handle = open(self.path, "a")

    def has(self, relative):
        return relative in self.entries

    def record(self, entry):
        self.entries[entry["file"]] = entry
        self._handle.write(json.dumps(entry, sort_keys=True) + "\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def finished_read_ids(self):
        """Every read id in the outputs of files journaled as done."""
        ids = set()
        for relative, entry in self.entries.items():
            if entry.get("state") != "done":
                continue
            _fastq, reads = output_paths(self.output_dir, relative)
            if os.path.exists(reads):
                with open(reads) as handle:
                    ids.update(json.loads(line)["read_id"] for line in handle if line.strip())
        return ids

    def recover(self):
        """Journals files whose FASTQ was committed but not journaled, and deletes outputs that a kill
        left half written. Returns the relative paths it journaled."""
        calls = os.path.join(self.output_dir, "calls")
        recovered = []
        for root, _dirs, files in os.walk(calls):
            for name in sorted(files):
                path = os.path.join(root, name)
                if name.endswith(PARTIAL):
                    os.remove(path)
                elif name.endswith(".fastq"):
                    relative = os.path.relpath(path, calls)[:-len(".fastq")]
                    if not self.has(relative):
                        self.record({"file": relative, "state": "done", "recovered": True})
                        recovered.append(relative)
        return recovered

    def close(self):
        self._handle.close()
