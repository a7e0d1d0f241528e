"""The runner's own errors, in a module of their own so that every other module may raise them."""


class ModelUnavailable(Exception):
    """The model cannot be loaded here; the message says what is missing and what to do."""
