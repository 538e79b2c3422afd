"""compliance: license and procurement compliance for open-weight AI models.

The library API: load the knowledge base, identify license texts, resolve model references, evaluate them
against an organization's policy. Heavy optional pieces (PDF, Hub access, SPDX) are imported on use.
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
