"""A conversion is published whole or not at all."""
import os

import pytest

from edgecall_converter import staging


def test_a_published_conversion_replaces_the_earlier_one_whole(tmp_path):
    output = tmp_path / "out"
    output.mkdir()
    (output / "stale.fast5").write_text("from an earlier conversion")
    new = staging.start(str(output))
    with open(os.path.join(new, "read.fast5"), "w") as handle:
        handle.write("new")
    staging.publish(new, str(output))
    assert sorted(os.listdir(str(output))) == ["read.fast5"]
    assert sorted(os.listdir(str(tmp_path))) == ["out"]


def test_the_earlier_conversion_survives_when_the_new_one_cannot_be_moved_into_place(tmp_path, monkeypatch):
    output = tmp_path / "out"
    output.mkdir()
    (output / "good.fast5").write_text("an earlier good conversion")
    new = staging.start(str(output))
    renames = []
    real_rename = os.rename

    def failing_second_rename(source, target):
        renames.append((source, target))
        if len(renames) == 2:
            raise OSError("disk failed")
        real_rename(source, target)

    monkeypatch.setattr(os, "rename", failing_second_rename)
    with pytest.raises(OSError, match="disk failed"):
        staging.publish(new, str(output))
    monkeypatch.undo()
    assert os.listdir(str(output)) == ["good.fast5"]


def test_staging_takes_the_output_s_mode_so_another_user_can_read_it(tmp_path):
    output = tmp_path / "out"
    output.mkdir(mode=0o755)
    os.chmod(str(output), 0o755)
    assert oct(os.stat(staging.start(str(output))).st_mode & 0o777) == oct(0o755)
