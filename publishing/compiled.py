"""Moved to kernel/compiled.py (actors use it too); kept so imports still work."""

from kernel.compiled import CompiledQuery

__all__ = ["CompiledQuery"]
