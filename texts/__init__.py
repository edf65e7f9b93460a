"""textS: an interpreter for a declarative language for scientific computing."""

__version__ = "0.1.0"
