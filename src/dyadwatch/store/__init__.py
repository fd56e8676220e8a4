"""The only code that talks to DuckDB and Parquet."""

from dyadwatch.store.workspace import Workspace, open_workspace

__all__ = ["Workspace", "open_workspace"]
