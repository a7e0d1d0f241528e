"""The watcher's completeness check and journal on their own."""
import json

from live_files import write

from edgecall_runner.live.completeness import is_run_file, whole
from edgecall_runner.live.journal import Journal, output_paths


def test_a_pod5_file_is_whole_only_once_its_footer_is_written(tmp_path):
    path = tmp_path / "a.pod5"
    write(path, 3)
    data = path.read_bytes()
    assert whole(str(path), len(data), 0.0, 2.0) == (True, "")
    # As a writer that writes in place leaves it before closing: everything but the footer.
    path.write_bytes(data[: len(data) - 200])
    is_whole, why = whole(str(path), len(data) - 200, 3600.0, 2.0)
    assert not is_whole and why == "no POD5 footer yet (the writer has not closed it)"
    path.write_bytes(b"not a pod5 at all, but long enough")
    assert whole(str(path), path.stat().st_size, 3600.0, 2.0) == (False, "does not start with the POD5 signature")


def test_a_fast5_file_waits_for_its_size_to_settle_unless_its_writer_closed_it(tmp_path):
    path = tmp_path / "a.fast5"
    write(path, 2, file_format="fast5")
    size = path.stat().st_size
    is_whole, why = whole(str(path), size, 0.5, 2.0)
    assert not is_whole and why.startswith("its size changed 0.5 s ago")
    assert whole(str(path), size, 2.0, 2.0) == (True, "")
    assert whole(str(path), size, 0.0, 2.0, closed=True) == (True, "")
    path.write_bytes(b"\0" * 64)
    assert whole(str(path), 64, 60.0, 2.0) == (False, "does not start with the HDF5 signature")


def test_temporary_and_hidden_names_are_not_run_files():
    assert is_run_file("run/pod5/x.pod5") and is_run_file("x.fast5")
    for name in ("x.pod5.tmp", ".x.pod5", "x.fast5.partial", "x.fastq", "x.pod5.part"):
        assert not is_run_file(name), name


def test_the_journal_commits_a_file_by_its_fastq_and_forgets_half_written_outputs(tmp_path):
    out = tmp_path / "out"
    fastq, reads = output_paths(str(out), "pod5/a.pod5")
    (out / "calls" / "pod5").mkdir(parents=True)
    # Killed after the FASTQ was renamed into place but before the journal line.
    open(reads, "w").write(json.dumps({"read_id": "r1"}) + "\n")
    open(fastq, "w").write("@r1\nA\n+\n!\n")
    # Killed while writing another file's outputs.
    partial_fastq, partial_reads = output_paths(str(out), "pod5/b.pod5")
    open(partial_reads, "w").write(json.dumps({"read_id": "r2"}) + "\n")
    open(partial_fastq + ".partial", "w").write("@r2\n")
    journal = Journal(str(out))
    assert journal.recover() == ["pod5/a.pod5"]
    assert not (out / "calls" / "pod5" / "b.pod5.fastq.partial").exists()
    assert journal.has("pod5/a.pod5") and not journal.has("pod5/b.pod5")
    assert journal.finished_read_ids() == {"r1"}
    journal.close()
    # A line cut off by a kill is ignored; the lines before it hold.
    with open(out / "journal.jsonl", "a") as handle:
        handle.write('{"file": "pod5/c.pod5", "sta')
    again = Journal(str(out))
    assert again.has("pod5/a.pod5") and not again.has("pod5/c.pod5")
    again.close()
