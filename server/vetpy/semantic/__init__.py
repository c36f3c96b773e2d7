"""What a document means, below the rules: the facts several rule families read (imports as the
target runs them, ...), computed from the document and the analysis context."""
