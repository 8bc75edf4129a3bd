"""inovasi: Indonesian public-service innovations from regional news."""

__version__ = "0.1.0"
