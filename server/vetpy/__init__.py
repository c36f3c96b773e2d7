"""vetpy: check AI-written Python against the versions you actually run."""

__version__ = "0.1.0"
