"""Fault injection: a real `voicenotes bot` whose material workers are both stuck on links to
a page that trickles one byte at a time, then stopped with SIGTERM.

The stop must end the process within seconds whatever the fetches are doing, lose nothing
(the links are filed at the next start), and tell the author nothing wrong in between.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.faults.harness import STEM, Scene
from tests.support.telegram_server import FEB_4, OWNER, text_message
from tests.support.web_server import Route, WebServer

pytestmark = [pytest.mark.faults, pytest.mark.timeout(300)]
ENDLESS = Route(body=b"<html><body>" + b"x" * 5000 + b"</body></html>", trickle=1.0)
"""A byte a second: every read is quick, the page takes over an hour."""
PAGE = (
    "<html><head><title>Evals</title></head><body><article><h1>Evals in practice</h1><p>"
    + "Evals tell you whether the model does the job. " * 10
    + "</p></article></body></html>"
)


def test_sigterm_ends_the_bot_within_seconds_while_both_workers_fetch_trickling_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VOICENOTES_FETCH_PRIVATE", "1")
    with WebServer() as web, Scene(tmp_path, "bot") as scene:
        links = [web.route("/slow/1", ENDLESS), web.route("/slow/2", ENDLESS)]
        for number, link in enumerate(links):
            scene.api.queue(text_message(OWNER, 900 + number, f"почитать {link}", date=FEB_4))
        first = scene.start()
        scene.api.wait_for(lambda: len(web.hits) >= 2, what="both links being fetched")

        asked = time.monotonic()
        first.popen.terminate()
        status = first.finish()
        took = time.monotonic() - asked

        assert status == 0, first.output
        assert took < 10.0, f"SIGTERM took {took:.1f} s to end the bot\n{first.output}"
        assert len(list((scene.kb.state / "materials").glob("*.json"))) == 2
        assert not list(scene.kb.raw.glob("*_link.md"))

        web.page("/slow/1", PAGE)
        web.page("/slow/2", PAGE)
        second = scene.start()
        notes = [scene.kb.raw / f"{STEM}{900 + n}_link.md" for n in range(2)]
        scene.api.wait_for(lambda: all(note.is_file() for note in notes), what="links filed")
        scene.api.wait_for(
            lambda: len([m for m in scene.api.sent if "After a restart: Filed" in m.text]) == 2,
            what="both answered",
        )
        assert scene.stop(second) == 0, second.output
        assert not [m for m in scene.api.sent if "Could not file" in m.text], scene.story()
