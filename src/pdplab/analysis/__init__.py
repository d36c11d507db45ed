"""Analyses of results: functions from Datasets to Datasets and DataFrames."""

from . import curves, regularity, rsa

__all__ = ["curves", "regularity", "rsa"]
