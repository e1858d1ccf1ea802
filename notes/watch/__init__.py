"""Drafting by itself: the watcher, its schedule, and what it waits for."""
