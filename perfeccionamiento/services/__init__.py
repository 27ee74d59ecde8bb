"""Writes of the régimen 21, one module per aggregate (see docs/arquitectura.md)."""
