"""Scale: coding in worker processes on one machine, and on a Dask cluster beyond it."""

from __future__ import annotations
