"""Reading raw signal from POD5 files. POD5 support is optional: it needs the `pod5` package
(Python 3.8 or later), which the JetPack 4 images do not have; without it a POD5 file is skipped
with a reason that says what to install, like a FAST5 file whose VBZ plugin is missing."""
from .fast5 import Fast5Error, RawRead


def iter_pod5_reads(path):
    """Every read of a POD5 file, with the calibration that turns its ADC values into picoamperes:
    pA = (raw + offset) * range / digitisation, as for FAST5."""
    try:
        import pod5
    except ImportError:
        raise Fast5Error("{}: reading POD5 needs the pod5 package (pip install pod5), which is not installed".format(path)) from None
    try:
        reader = pod5.Reader(path)
    except Exception as error:  # pod5 raises several types for a file it cannot open
        raise Fast5Error("{}: not a readable POD5 file ({})".format(path, error)) from None
    with reader:
        try:
            for record in reader.reads():
                yield RawRead(
                    str(record.read_id),
                    record.signal.copy(),
                    float(record.calibration.offset),
                    float(record.calibration_range),
                    float(record.calibration_digitisation),
                    float(record.run_info.sample_rate),
                )
        except Fast5Error:
            raise
        except Exception as error:
            raise Fast5Error("{}: cannot read its reads ({})".format(path, error)) from None
