"""The models the runner knows, each loaded lazily by its adapter (edgecall_runner.adapters)."""


class ModelUnavailable(Exception):
    """The model cannot be loaded here; the message says what is missing and what to do."""


UPSTREAM_MODELS = ("catcaller", "chiron", "rodan", "sacall")


def load_model(name, device="auto", molecule="dna", allow_rna_weights_on_dna=False):
    """`device`: auto (GPU when the framework sees one), cpu or cuda; `molecule`: dna or rna, what the
    reads are (RODAN's shipped weights are RNA-only, Chiron ships both)."""
    if name == "ctc-test":
        from .adapters.ctc_test import CtcTestModel

        return CtcTestModel()
    if name == "sacall":
        from .adapters.sacall import SacallModel

        return SacallModel(device)
    if name == "catcaller":
        from .adapters.catcaller import CatcallerModel

        return CatcallerModel(device)
    if name == "rodan":
        from .adapters.rodan import RodanModel

        return RodanModel(device, molecule, allow_rna_weights_on_dna)
    if name == "chiron":
        from .adapters.chiron import ChironModel

        return ChironModel(device, molecule)
    raise ModelUnavailable("unknown model {!r}: one of ctc-test, {}".format(name, ", ".join(UPSTREAM_MODELS)))
