"""Analyses of results: functions from Datasets to Datasets and DataFrames."""

from . import regularity, rsa

__all__ = ["regularity", "rsa"]
