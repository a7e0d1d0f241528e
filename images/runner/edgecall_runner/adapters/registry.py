"""Every model the runner can load, in one table: its name and how its adapter is built. A loader
imports its adapter, and through it the framework and the upstream code, only when it is called."""


def _seeded_ctc(**_options):
    from .seeded_ctc import SeededCtcModel

    return SeededCtcModel()


def _sacall(device, precision, **_options):
    from .sacall import SacallModel

    return SacallModel(device, precision)


def _catcaller(device, precision, **_options):
    from .catcaller import CatcallerModel

    return CatcallerModel(device, precision)


def _rodan(device, molecule, allow_rna_weights_on_dna, precision, **_options):
    from .rodan import RodanModel

    return RodanModel(device, molecule, allow_rna_weights_on_dna, precision)


def _chiron(device, molecule, **_options):
    from .chiron import ChironModel

    return ChironModel(device, molecule)


ADAPTERS = {
    "ctc-test": _seeded_ctc,
    "catcaller": _catcaller,
    "chiron": _chiron,
    "rodan": _rodan,
    "sacall": _sacall,
}

# The published basecallers (every name but the test network's).
UPSTREAM_MODELS = tuple(sorted(name for name in ADAPTERS if name != "ctc-test"))
