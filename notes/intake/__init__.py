"""Every kind of note in, voice included, and read back: the inbox."""
