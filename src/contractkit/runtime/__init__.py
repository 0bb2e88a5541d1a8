"""Providers' own processes: started locally from the registry's `process` key, waited on until healthy, and
always stopped, whatever ends the command."""

from contractkit.runtime.processes import ProviderProcess, ProviderProcessError, free_port

__all__ = ["ProviderProcess", "ProviderProcessError", "free_port"]
