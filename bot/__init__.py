"""Telegram adapter: handlers, access control and replies over notes/ and transcribe/."""
