"""The knowledge base and everything that writes it."""
