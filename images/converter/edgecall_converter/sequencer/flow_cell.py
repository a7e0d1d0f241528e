"""The signal rate a flow cell offers: channels x sample rate x occupancy, scaled by a speed."""
import collections

FlowCell = collections.namedtuple("FlowCell", ["channels", "sample_rate_hz", "occupancy"])

# Every channel sequencing at once is the ceiling; runs average well below it (docs/live.md).
MINION_R10 = FlowCell(channels=512, sample_rate_hz=5000, occupancy=0.8)


def samples_per_second(flow_cell, speed=1.0):
    """Samples the sequencer writes per second of its run at `speed` times the flow cell's rate."""
    if flow_cell.channels < 1:
        raise ValueError("--channels must be at least 1, got {}".format(flow_cell.channels))
    if not 0 < flow_cell.occupancy <= 1:
        raise ValueError("--occupancy is the share of channels sequencing: above 0, at most 1; got {}".format(flow_cell.occupancy))
    if flow_cell.sample_rate_hz <= 0:
        raise ValueError("--sample-rate-hz must be positive, got {}".format(flow_cell.sample_rate_hz))
    if speed <= 0:
        raise ValueError("--speed must be positive, got {}".format(speed))
    return flow_cell.channels * flow_cell.sample_rate_hz * flow_cell.occupancy * speed
