"""The one error of a cell value."""


class CellError(ValueError):
    """A value the import cannot read; ``str(error)`` is the message shown to
    the clerk, translated: what is wrong and what to write instead."""
