"""Shipped stimulus tables and the environments built from them."""

from .semantic import rumelhart_todd_1993

__all__ = ["rumelhart_todd_1993"]
