"""Studio Console (直播中控台): control desk for live-commerce streaming studios."""
from __future__ import annotations

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("studio-console")
except _metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
