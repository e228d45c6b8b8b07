"""sitrep: sourced, geocoded conflict events from news articles."""
__version__ = "0.1.0"

__all__ = ["__version__"]
