"""Reading raw signal from single- and multi-read FAST5 files."""
import collections

import h5py

VBZ_FILTER_ID = 32020

RawRead = collections.namedtuple(
    "RawRead", ["read_id", "signal", "offset", "range", "digitisation", "sampling_rate"]
)


class Fast5Error(Exception):
    """A file that cannot be read; the message names the file and says why."""


def _text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def _uses_vbz(dataset):
    plist = dataset.id.get_create_plist()
    return any(plist.get_filter(i)[0] == VBZ_FILTER_ID for i in range(plist.get_nfilters()))


def _read_signal(path, dataset):
    try:
        return dataset[()]
    except OSError as error:
        if _uses_vbz(dataset):
            raise Fast5Error(
                "{}: the signal is VBZ-compressed and the VBZ HDF5 plugin is missing "
                "(install libvbz-hdf-plugin0 or vbz-h5py-plugin and set HDF5_PLUGIN_PATH to a "
                "directory holding libvbz_hdf_plugin.so)".format(path)
            ) from None
        raise Fast5Error("{}: cannot read the signal ({})".format(path, error)) from None


def _channel(path, group):
    if "channel_id" not in group:
        raise Fast5Error("{}: no channel_id group, so the signal cannot be scaled to pA".format(path))
    attrs = group["channel_id"].attrs
    try:
        return (
            float(attrs["offset"]),
            float(attrs["range"]),
            float(attrs["digitisation"]),
            float(attrs["sampling_rate"]),
        )
    except KeyError as error:
        raise Fast5Error("{}: channel_id lacks {}".format(path, error)) from None


def iter_reads(path):
    """Every read of a FAST5 file: multi-read (`read_<id>/Raw/Signal`) or single-read
    (`Raw/Reads/Read_N/Signal` with `UniqueGlobalKey/channel_id`)."""
    try:
        handle = h5py.File(path, "r")
    except OSError as error:
        raise Fast5Error("{}: not a readable HDF5/FAST5 file ({})".format(path, error)) from None
    with handle:
        read_groups = [name for name in handle.keys() if name.startswith("read_")]
        if read_groups:
            for name in read_groups:
                group = handle[name]
                if "Raw/Signal" not in group:
                    raise Fast5Error("{}: {} has no Raw/Signal".format(path, name))
                offset, rng, digitisation, rate = _channel(path, group)
                read_id = _text(group["Raw"].attrs.get("read_id", name[len("read_"):]))
                yield RawRead(read_id, _read_signal(path, group["Raw/Signal"]), offset, rng, digitisation, rate)
            return
        if "Raw/Reads" not in handle:
            raise Fast5Error("{}: neither a multi-read (read_*) nor a single-read (Raw/Reads) FAST5".format(path))
        offset, rng, digitisation, rate = _channel(path, handle["UniqueGlobalKey"] if "UniqueGlobalKey" in handle else handle)
        for name in handle["Raw/Reads"].keys():
            group = handle["Raw/Reads"][name]
            if "Signal" not in group:
                raise Fast5Error("{}: Raw/Reads/{} has no Signal".format(path, name))
            read_id = _text(group.attrs.get("read_id", name))
            yield RawRead(read_id, _read_signal(path, group["Signal"]), offset, rng, digitisation, rate)


def to_picoamps(read):
    """Raw ADC values to picoamps: (raw + offset) * range / digitisation."""
    return (read.signal.astype("float32") + read.offset) * (read.range / read.digitisation)
