"""The dataset manifest the converter reads: its rows, and errors that name the file and line."""
import pytest

from edgecall_converter.manifest import ManifestError, fast5_files, read_manifest

SHA = "AB" * 32


def test_rows_with_and_without_a_read_id_after_a_header_with_crlf_line_ends(tmp_path):
    manifest = tmp_path / "manifest.tsv"
    manifest.write_bytes("file\tsha256\tread_id\r\na.fast5\t{}\r\nb.fast5\t{}\tread-7\r\n\r\n".format(SHA, SHA).encode())
    assert read_manifest(str(manifest)) == [("a.fast5", SHA.lower(), None), ("b.fast5", SHA.lower(), "read-7")]


@pytest.mark.parametrize("line", ["a.fast5", "a.fast5\tnot-a-sha256", "a.fast5\t{}".format("a" * 63)])
def test_a_row_without_a_sha256_is_refused_naming_the_line(tmp_path, line):
    manifest = tmp_path / "m.tsv"
    manifest.write_text("ok.fast5\t{}\n{}\n".format(SHA, line))
    with pytest.raises(ManifestError, match=r"m\.tsv:2: expected file<TAB>sha256\[<TAB>read_id\]$"):
        read_manifest(str(manifest))


def test_a_manifest_that_lists_nothing_is_refused(tmp_path):
    manifest = tmp_path / "empty.tsv"
    manifest.write_text("file\tsha256\n\n")
    with pytest.raises(ManifestError, match=r"empty\.tsv: no files listed$"):
        read_manifest(str(manifest))


def test_signal_files_are_found_under_subdirectories_in_a_stable_order(tmp_path):
    for name in ["z/run.fast5", "a.pod5", "notes.txt", "m/n/b.fast5"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    assert fast5_files(str(tmp_path)) == ["a.pod5", "m/n/b.fast5", "z/run.fast5"]
