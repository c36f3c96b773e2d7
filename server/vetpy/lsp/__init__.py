"""The language server (``vetpy serve``): pygls handlers over the shared engine."""
