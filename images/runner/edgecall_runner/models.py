"""The models the runner knows. Each adapter has `name`, `upstream_commit`, `weights_sha256`,
`info()` and `basecall(signals) -> [(sequence, quality)]` over picoampere signals."""


class ModelUnavailable(Exception):
    """The model cannot be loaded here; the message says what is missing."""


UPSTREAM_MODELS = ("catcaller", "chiron", "rodan", "sacall")


def load_model(name):
    if name == "ctc-test":
        from .ctc_test import CtcTestModel

        return CtcTestModel()
    if name in UPSTREAM_MODELS:
        raise ModelUnavailable(
            "the {} adapter is not built yet: its image must provide the upstream code "
            "(EDGECALL_UPSTREAM_DIR) and an adapter in edgecall_runner".format(name)
        )
    raise ModelUnavailable("unknown model {!r}: one of ctc-test, {}".format(name, ", ".join(UPSTREAM_MODELS)))
