"""The target environment: which interpreter, what it has installed, what the project declares."""
