"""The language server's message handlers, one module per group.

Each handler is a plain function of the :class:`~vetpy.lsp.session.Session` and the message's
parameters (commands: of the session and the command's arguments); :mod:`vetpy.lsp.routes` says
which method goes to which handler.
"""
