"""Scanned reports: what the record says about values recognised from images."""

from .suspect import CHECK, flag_cells

__all__ = ["CHECK", "flag_cells"]
