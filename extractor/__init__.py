"""jxcheck: check the numbers in Chinese budget performance self-evaluation reports."""

__all__ = ["__version__"]

__version__ = "0.1.0"
