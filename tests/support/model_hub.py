"""A local model hub over real HTTP: the few endpoints huggingface_hub uses to fetch a model.

It serves one repository made of the files of a local folder (the tests use the embedded
Whisper model's), so `voicenotes model fetch` can be tested without the network.

with ModelHub("Systran/faster-whisper-tiny", folder) as hub:
    hub.url   # the endpoint, for huggingface_hub
"""

from __future__ import annotations

import hashlib
import json
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.support.local_http import LocalHTTPServer

COMMIT = "0123456789abcdef0123456789abcdef01234567"


class ModelHub(LocalHTTPServer):
    def __init__(self, repo: str, folder: Path) -> None:
        self.repo = repo
        self.files = {p.name: p for p in sorted(folder.iterdir()) if p.is_file()}
        self.hits: list[str] = []
        self._etags = {name: _sha256(path) for name, path in self.files.items()}
        self._listen(_handler(self))

    @property
    def url(self) -> str:
        return self.origin

    def info(self) -> bytes:
        siblings = [
            {"rfilename": name, "size": path.stat().st_size, "blobId": self._etags[name][:40]}
            for name, path in self.files.items()
        ]
        body = {"id": self.repo, "modelId": self.repo, "sha": COMMIT, "siblings": siblings}
        return json.dumps(body).encode()

    def tree(self) -> bytes:
        entries = [
            {
                "type": "file",
                "path": name,
                "size": path.stat().st_size,
                "oid": self._etags[name][:40],
            }
            for name, path in self.files.items()
        ]
        return json.dumps(entries).encode()

    def file(self, name: str) -> tuple[Path, str] | None:
        path = self.files.get(name)
        return (path, self._etags[name]) if path else None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _handler(hub: ModelHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_HEAD(self) -> None:
            self._answer(body=False)

        def do_GET(self) -> None:
            self._answer(body=True)

        def _answer(self, body: bool) -> None:
            path = self.path.split("?", 1)[0]
            hub.hits.append(f"{self.command} {path}")
            if path.startswith(f"/api/models/{hub.repo}/tree/"):
                return self._send(200, hub.tree(), {"Content-Type": "application/json"}, body)
            if path.startswith(f"/api/models/{hub.repo}"):
                return self._send(200, hub.info(), {"Content-Type": "application/json"}, body)
            prefix = f"/{hub.repo}/resolve/"
            found = hub.file(path.removeprefix(prefix).split("/", 1)[-1])
            if not path.startswith(prefix) or found is None:
                return self._send(404, b"{}", {"X-Error-Code": "EntryNotFound"}, body)
            file, etag = found
            headers = {"X-Repo-Commit": COMMIT, "ETag": f'"{etag}"'}
            self._send(200, file.read_bytes(), headers, body)

        def _send(self, status: int, data: bytes, headers: dict[str, str], body: bool) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if body:
                self.wfile.write(data)

    return Handler
