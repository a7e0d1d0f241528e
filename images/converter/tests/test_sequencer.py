"""The sequencer stand-in: files due when the flow cell would have sequenced their reads, written as
MinKNOW writes them, new read ids on every pass over the dataset."""
import numpy
import pytest

from edgecall_converter.fast5 import RawRead
from edgecall_converter.sequencer.cli import main
from edgecall_converter.sequencer.flow_cell import MINION_R10, FlowCell, samples_per_second
from edgecall_converter.sequencer.replay import ReplayError, replay


def _reads(count, samples):
    return [RawRead("read-{}".format(i), numpy.full(samples, 500, dtype="int16"), 10.0, 1400.0, 2048.0, 5000.0) for i in range(count)]


class FakeClock(object):
    def __init__(self):
        self.now = 0.0
        self.slept = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(round(seconds, 6))
        self.now += seconds


def test_a_minion_offers_its_channels_times_rate_times_occupancy():
    assert samples_per_second(MINION_R10) == 512 * 5000 * 0.8
    assert samples_per_second(FlowCell(512, 5000, 1.0), speed=2) == 5_120_000
    with pytest.raises(ValueError, match="--occupancy"):
        samples_per_second(FlowCell(512, 5000, 1.5))


def test_each_file_appears_when_its_reads_are_sequenced_with_new_read_ids_each_pass(tmp_path):
    import pod5

    fake = FakeClock()
    # 3 reads of 10,000 samples, 2 per file, at 10,000 samples/s: a file every 2 s.
    written = replay(_reads(3, 10000), str(tmp_path), 10000, 2, max_files=4, clock=fake.clock, sleep=fake.sleep)
    assert fake.slept == [2.0, 2.0, 2.0, 2.0]
    assert [entry["file"] for entry in written] == ["edgecall_sim_{:06d}.pod5".format(n) for n in range(4)]
    assert sorted(p.name for p in tmp_path.iterdir()) == [entry["file"] for entry in written]
    ids = [read_id for entry in written for read_id in entry["read_ids"]]
    assert len(ids) == 8 and len(set(ids)) == 8
    with pod5.Reader(str(tmp_path / "edgecall_sim_000001.pod5")) as reader:
        records = list(reader.reads())
        assert [str(r.read_id) for r in records] == written[1]["read_ids"]
        assert records[0].signal.tolist()[:3] == [500, 500, 500]


def test_a_duration_ends_the_replay_at_the_last_file_due_within_it(tmp_path):
    fake = FakeClock()
    written = replay(_reads(2, 10000), str(tmp_path), 10000, 1, duration_s=3.5, file_format="fast5", clock=fake.clock, sleep=fake.sleep)
    assert [entry["file"] for entry in written] == ["edgecall_sim_000000.fast5", "edgecall_sim_000001.fast5", "edgecall_sim_000002.fast5"]
    with pytest.raises(ReplayError, match="--duration-s or --max-files"):
        replay(_reads(1, 10), str(tmp_path), 10, 1)


def test_the_cli_names_a_missing_dataset(tmp_path, capsys):
    assert main(["--dataset", str(tmp_path / "none"), "--run-dir", str(tmp_path / "run"), "--max-files", "1"]) == 1
    assert capsys.readouterr().err == "edgecall-sequencer: --dataset {}: no such directory\n".format(tmp_path / "none")
