"""What an expression is, and what members a module or class really has."""
