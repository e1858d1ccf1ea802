"""Knowing his KB: where each note went (`trace`) and what his notes say (`ask`)."""
