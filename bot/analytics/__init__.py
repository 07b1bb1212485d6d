"""How the assistant is doing: per-conversation rows, summaries and operator metrics."""
