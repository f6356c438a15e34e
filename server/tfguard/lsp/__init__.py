"""The tfguard language server: a thin LSP adapter over :mod:`tfguard.engine`.

Start it with ``tfguard lsp`` (stdio) or ``tfguard lsp --tcp``; see :func:`server.main`.
"""
