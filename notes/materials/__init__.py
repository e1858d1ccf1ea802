"""Materials beyond voice: photos, links, YouTube, videos, files and forwards, as KB notes."""
