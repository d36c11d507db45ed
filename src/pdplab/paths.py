"""Where the shipped data lives: ``models/``, ``analyses/`` and ``stimuli/``
at the top of a checkout, bundled under ``pdplab/_data/`` in a wheel."""

from pathlib import Path

__all__ = ["data_dir"]


def data_dir(name):
    """The folder ``name`` (``models``, ``analyses`` or ``stimuli``)."""
    bundled = Path(__file__).parent / "_data" / name
    return bundled if bundled.is_dir() else Path(__file__).resolve().parents[2] / name
