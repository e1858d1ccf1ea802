"""Versioned prompt files for the LLM."""
