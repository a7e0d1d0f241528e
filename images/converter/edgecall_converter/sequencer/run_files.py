"""Writing one file of reads as a sequencer does: POD5 (footer last) or multi-read FAST5, either to
a temporary name renamed at the end, as MinKNOW does, or in place."""
import datetime
import os
import uuid

import h5py
import numpy

from ..fast5 import RawRead

TEMPORARY_SUFFIX = ".tmp"
EPOCH = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)


def new_read_id(read_id, pass_number):
    """A read id of its own for each pass over the dataset, stable across runs (a UUID, as POD5 needs)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, "edgecall-sequencer/{}/{}".format(pass_number, read_id))


def _write_pod5(path, reads, sample_rate):
    import pod5

    run_info = pod5.RunInfo(
        acquisition_id="edgecall-sequencer", acquisition_start_time=EPOCH, adc_max=2047, adc_min=-2048,
        context_tags={}, experiment_name="edgecall-sequencer", flow_cell_id="SIM", flow_cell_product_code="SIM",
        protocol_name="edgecall-sequencer", protocol_run_id="edgecall-sequencer", protocol_start_time=EPOCH,
        sample_id="replay", sample_rate=int(sample_rate), sequencing_kit="SIM", sequencer_position="SIM",
        sequencer_position_type="SIM", software="edgecall-sequencer", system_name="edgecall", system_type="SIM",
        tracking_id={},
    )
    with pod5.Writer(path) as writer:
        for number, read in enumerate(reads):
            writer.add_read(pod5.Read(
                read_id=uuid.UUID(read.read_id),
                pore=pod5.Pore(channel=number % 512 + 1, well=1, pore_type="sim"),
                calibration=pod5.Calibration(offset=read.offset, scale=read.range / read.digitisation),
                read_number=number, start_sample=0, median_before=0.0,
                end_reason=pod5.EndReason(reason=pod5.EndReasonEnum.SIGNAL_POSITIVE, forced=False),
                run_info=run_info, signal=numpy.asarray(read.signal, dtype=numpy.int16),
            ))


def _write_fast5(path, reads):
    with h5py.File(path, "w") as out:
        out.attrs["file_version"] = numpy.bytes_(b"2.2")
        for read in reads:
            group = out.create_group("read_" + read.read_id)
            raw = group.create_group("Raw")
            raw.attrs["read_id"] = numpy.bytes_(read.read_id.encode("ascii"))
            raw.create_dataset("Signal", data=numpy.asarray(read.signal, dtype=numpy.int16))
            channel = group.create_group("channel_id")
            channel.attrs["offset"] = read.offset
            channel.attrs["range"] = read.range
            channel.attrs["digitisation"] = read.digitisation
            channel.attrs["sampling_rate"] = read.sampling_rate


def write_run_file(path, reads, file_format, in_place=False):
    """Writes `reads` (RawRead) to `path`; the name appears only once the file is whole unless
    `in_place`, where a reader sees it grow and must wait for the POD5 footer or a stable size."""
    target = path if in_place else path + TEMPORARY_SUFFIX
    if file_format == "pod5":
        _write_pod5(target, reads, reads[0].sampling_rate)
    elif file_format == "fast5":
        _write_fast5(target, reads)
    else:
        raise ValueError("--format must be pod5 or fast5, got {!r}".format(file_format))
    if not in_place:
        os.rename(target, path)


def renamed(read, pass_number):
    return RawRead(str(new_read_id(read.read_id, pass_number)), read.signal, read.offset, read.range, read.digitisation, read.sampling_rate)
