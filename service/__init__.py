"""argmap: structured argument maps."""

__version__ = "0.1.0"
