"""The reads of one run file, in picoamperes, through the converter's readers (the model images
carry the converter beside the runner)."""


class UnreadableFile(Exception):
    """A run file that cannot be read (yet); the message names it and says why."""


def read_file(path):
    """[(read_id, picoamperes)] of a POD5 or FAST5 file."""
    try:
        from edgecall_converter.fast5 import Fast5Error, iter_reads, to_picoamps
        from edgecall_converter.pod5_reads import iter_pod5_reads
    except ImportError:
        raise UnreadableFile("{}: reading run files needs edgecall-converter installed beside the runner".format(path)) from None
    try:
        raw = list(iter_pod5_reads(path) if path.endswith(".pod5") else iter_reads(path))
    except Fast5Error as error:
        raise UnreadableFile(str(error)) from None
    except (OSError, ValueError, KeyError) as error:
        raise UnreadableFile("{}: {}".format(path, error)) from None
    return [(read.read_id, to_picoamps(read)) for read in raw]


def count_reads(path):
    """How many reads a whole run file holds, without reading their signal (for the backlog)."""
    try:
        if path.endswith(".pod5"):
            import pod5

            with pod5.Reader(path) as reader:
                return reader.num_reads
        import h5py

        with h5py.File(path, "r") as handle:
            groups = [name for name in handle.keys() if name.startswith("read_")]
            return len(groups) if groups else len(handle["Raw/Reads"].keys()) if "Raw/Reads" in handle else 0
    except Exception:  # noqa: BLE001 - any failure here is met again, with its reason, when the file is read
        return 0
