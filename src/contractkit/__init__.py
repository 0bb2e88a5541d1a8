"""contractkit: consumer-driven contract testing driven by one registry.yaml."""

__version__ = "0.1.0"
