"""A local server speaking the OpenAI audio transcription API, over real HTTP.

It "hears" speech by loudness: each stretch of sound (pauses under 4 s joined) becomes a
segment `speech N` with its times in the uploaded file, so a test knows exactly where every
segment must land in the whole recording. It refuses uploads over `max_bytes` (413), and can
be told to fail (`status`), answer late (`delay`) or answer garbage.

with AudioApiServer() as api:
    url = api.url   # the API root, for VOICENOTES_TRANSCRIBE_URL
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import tempfile
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import numpy as np

from tests.support.local_http import LocalHTTPServer
from transcribe.audio import SAMPLE_RATE, load_audio

FRAME = SAMPLE_RATE // 10


@dataclass
class Upload:
    fields: dict[str, str]
    filename: str
    size: int
    authorization: str


@dataclass
class AudioApiServer(LocalHTTPServer):
    max_bytes: int = 25 * 1024 * 1024
    status: int = 200
    delay: float = 0.0
    garbage: bool = False
    uploads: list[Upload] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._listen(_handler(self))

    @property
    def url(self) -> str:
        return f"{self.origin}/v1"

    def answer(self, upload: Upload, audio: bytes) -> tuple[int, dict[str, Any] | str]:
        self.uploads.append(upload)
        if self.delay:
            time.sleep(self.delay)
        if self.status != 200:
            return self.status, {"error": {"message": "the server is having a bad day"}}
        if upload.size > self.max_bytes:
            return 413, {"error": {"message": "Request Entity Too Large"}}
        if self.garbage:
            return 200, "<html>not json</html>"
        samples = _decoded(audio, upload.filename)
        segments = [
            {"id": n, "start": start, "end": end, "text": f" speech {len(self.uploads)}.{n}"}
            for n, (start, end) in enumerate(sounds(samples))
        ]
        text = "".join(segment["text"] for segment in segments)
        duration = samples.size / SAMPLE_RATE
        return 200, {
            "language": "russian",
            "duration": duration,
            "text": text,
            "segments": segments,
        }


def sounds(samples: np.ndarray) -> list[tuple[float, float]]:
    """(start, end) in seconds of each stretch of sound, pauses under 4 s joined."""
    count = samples.size // FRAME
    loud = np.sqrt(np.square(samples[: count * FRAME].reshape(count, FRAME)).mean(axis=1)) > 0.01
    spans: list[list[int]] = []
    for index in np.flatnonzero(loud):
        if spans and index - spans[-1][1] <= 40:
            spans[-1][1] = int(index) + 1
        else:
            spans.append([int(index), int(index) + 1])
    return [
        (round(a * FRAME / SAMPLE_RATE, 2), round(b * FRAME / SAMPLE_RATE, 2)) for a, b in spans
    ]


def _decoded(audio: bytes, filename: str) -> np.ndarray:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(filename).name
        path.write_bytes(audio)
        return load_audio(path)


def _handler(server: AudioApiServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            head = f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode()
            message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
            fields, filename, audio = {}, "", b""
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                if part.get_filename():
                    filename, audio = part.get_filename(), part.get_payload(decode=True)
                else:
                    fields[str(name)] = part.get_content().strip()
            upload = Upload(fields, filename, len(audio), self.headers.get("Authorization", ""))
            status, answer = server.answer(upload, audio)
            payload = answer.encode() if isinstance(answer, str) else json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    return Handler
