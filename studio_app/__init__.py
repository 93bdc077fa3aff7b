"""Studio Console (直播中控台): control desk for live-commerce streaming studios."""
from __future__ import annotations

__all__ = ["__version__"]


def __getattr__(name: str) -> str:  # PEP 562: importlib.metadata costs ~35 ms of every command's start
    if name != "__version__":
        raise AttributeError(f"module 'studio_app' has no attribute {name!r}")
    from importlib import metadata

    try:
        version = metadata.version("studio-console")
    except metadata.PackageNotFoundError:  # running from a source tree that is not installed
        version = "0.0.0+unknown"
    globals()["__version__"] = version
    return version
