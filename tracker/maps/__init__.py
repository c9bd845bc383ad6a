"""The response map: the dispute as a graph, drawn on the server as SVG."""

from .views import bp

__all__ = ["bp"]
