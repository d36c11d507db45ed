"""Analyses of results: functions from Datasets to Datasets and DataFrames."""

from . import rsa

__all__ = ["rsa"]
