"""The README's quick start, followed literally on a fresh clone, against the local fakes.

Install is what `.ci/run` does already; from there the commands are the README's: `init ~/kb`,
fill in `~/kb/.env`, `doctor --kb ~/kb`, `serve --kb ~/kb`. The author then sends a voice note
and a photo and asks for `/draft`. The clone must stay clean, and the KB hold the notes, the
article and its image, committed.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SPEECH_OGG
from tests.support.openai_server import TEST_KEY, OpenAIServer, Reply, Request, answer
from tests.support.pictures import photo_with_gps
from tests.support.telegram_server import (
    FEB_4,
    OWNER,
    FakeBotAPI,
    photo_message,
    text_message,
    voice_message,
)

pytestmark = pytest.mark.timeout(400)
ROOT = Path(__file__).resolve().parents[1]
SOURCE = re.compile(r'<source id="(S\d+)" name="([^"]+)"')
STEM = "20260204_102339_AlexeyDTC_msg"


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def route(request: Request) -> Reply:
    sources = sorted({found[0] for found in SOURCE.findall(request.user)})
    decision = {
        "sources": sources,
        "action": "create",
        "article": None,
        "title": "Evals need a review step",
        "tags": ["evals"],
        "folder": "",
        "reason": "one topic",
    }
    return answer({"decisions": [decision]})


def write(request: Request) -> Reply:
    sources = dict(SOURCE.findall(request.user))
    photos = [sid for sid, name in sources.items() if name.endswith("_photo.md")]
    cited = "".join(f"[^{sid}]" for sid in sorted(sources))
    figures = [
        {"source": sid, "after": 1, "name": "whiteboard", "alt": "A board", "caption": "The plan"}
        for sid in photos
    ]
    body = f"Evaluation sets need a review step{cited}.\n\nThe rest follows."
    return answer(
        {
            "title": "Evals need a review step",
            "tags": ["evals"],
            "description": "Why.",
            "body": body,
            "figures": figures,
        }
    )


@pytest.fixture
def scripted_server(server: OpenAIServer) -> OpenAIServer:
    """The fake server answering the doctor's probe, every route and every write."""
    server.always("doctor_probe", answer({"word": "ready", "number": 42}))
    server.always("route_batch", route)
    server.always("write_article", write)
    return server


def test_the_quick_start_leaves_the_clone_clean_and_the_kb_committed(
    tmp_path: Path, api: FakeBotAPI, scripted_server: OpenAIServer
) -> None:
    clone, home = tmp_path / "voicenotes", tmp_path / "home"
    home.mkdir()
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("VOICENOTES_", "TELEGRAM_", "OPENAI_"))
    }
    env |= {"HOME": str(home), "PYTHONPATH": str(clone)}
    env.setdefault("XDG_CACHE_HOME", str(Path.home() / ".cache"))  # the embedded model's cache

    def voicenotes(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "notes", *args]
        return subprocess.run(
            command, cwd=clone, env=env, capture_output=True, text=True, timeout=300
        )

    made = voicenotes("init", "~/kb")
    assert made.returncode == 0, made.stderr
    kb = home / "kb"
    assert made.stdout.splitlines()[-1].startswith(f"Next: fill in {kb / '.env'}")

    filled = (kb / ".env").read_text(encoding="utf-8")
    for name, value in (
        ("TELEGRAM_BOT_TOKEN", api.token),
        ("TELEGRAM_ALLOWED_USERS", str(OWNER.id)),
        ("OPENAI_API_KEY", TEST_KEY),
    ):
        filled = filled.replace(f"\n{name}=\n", f"\n{name}={value}\n")
    filled += f"TELEGRAM_API_BASE_URL={api.url}\nOPENAI_BASE_URL={scripted_server.base_url}\n"
    (kb / ".env").write_text(filled, encoding="utf-8")

    checked = voicenotes("doctor", "--kb", "~/kb")
    assert checked.returncode == 0, checked.stdout + checked.stderr

    serve = subprocess.Popen(
        [sys.executable, "-m", "notes", "serve", "--kb", "~/kb"],
        cwd=clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        api.queue(voice_message(OWNER, 900, api.add_file(SPEECH_OGG.read_bytes()), date=FEB_4))
        photo = api.add_file(photo_with_gps(800, 600, orientation=1))
        api.queue(photo_message(OWNER, 901, photo, caption="для статьи", date=FEB_4))
        api.wait_for(
            lambda: (
                (kb / "inbox/raw" / f"{STEM}900_transcript.txt").exists()
                and (kb / "inbox/raw" / f"{STEM}901_photo.md").exists()
            ),
            what="both notes filed",
        )
        api.queue(text_message(OWNER, 902, "/draft"))
        api.wait_for(
            lambda: [m for m in api.sent_to(OWNER.id) if "1 created" in m.text],
            what="the drafting pass",
        )
    finally:
        serve.send_signal(signal.SIGTERM)
        out, _ = serve.communicate(timeout=120)

    assert serve.returncode == 0, out
    assert git(clone, "status", "--porcelain", "--untracked-files=all") == ""
    tracked = set(git(kb, "ls-files").split())
    article = kb / "articles" / "evals-need-a-review-step.md"
    assert article.relative_to(kb).as_posix() in tracked
    assert f"inbox/used/{STEM}900_transcript.txt" in tracked
    assert f"inbox/used/{STEM}901_photo.md" in tracked
    images = [name for name in tracked if name.startswith("assets/images/")]
    assert images and all(name.endswith(".jpg") for name in images), tracked
    assert images[0].rsplit("/", 1)[1] in article.read_text(encoding="utf-8")
    leftovers = git(kb, "status", "--porcelain", "--untracked-files=all").splitlines()
    assert [line for line in leftovers if not line.startswith("?? inbox/audio/")] == []
    assert git(kb, "log", "--format=%s").splitlines()[-1].startswith("voicenotes init")
    assert api.token.split(":")[1] not in out and TEST_KEY not in out
