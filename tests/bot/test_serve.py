"""`voicenotes serve`: the bot and the watcher in one process, and its notices to the author."""

from __future__ import annotations

import argparse
import signal

import pytest

from bot.app import build_application
from bot.serve import Notifier, pass_notice, run_command, serve
from notes.drafting import ArticleChange, PassReport
from notes.intake import inbox
from notes.kb import KnowledgeBase
from notes.settings import load_settings
from notes.watch.watcher import Watcher
from tests.conftest import SPEECH_OGG
from tests.support.openai_server import OpenAIServer, openai_server
from tests.support.telegram_server import (
    FEB_4,
    OWNER,
    FakeBotAPI,
    html_problem,
    running,
    text_message,
    voice_message,
)
from tests.support.watching import (
    TIMING,
    Librarian,
    Passes,
    Process,
    child_env,
    real_pass,
)
from transcribe.engine import WhisperEngine

__all__ = ["openai_server"]

pytestmark = pytest.mark.timeout(240)
TEXT_NOTE = "20260204_102339_AlexeyDTC_msg901.md"
VOICE_NOTE = "20260204_102339_AlexeyDTC_msg902_transcript.txt"


def change(title: str, path: str = "articles/x.md") -> ArticleChange:
    return ArticleChange(path, title, ("20260204_102339_AlexeyDTC_msg900_transcript.txt",))


def test_pass_notice_names_the_new_and_the_updated_articles() -> None:
    report = PassReport(
        created=[change("Evals <first> & foremost", "articles/evals.md")],
        updated=[change("RAG in practice", "articles/rag.md")],
        set_aside=["20260204_102340_AlexeyDTC_msg901_text.txt"],
    )
    notice = pass_notice(report)
    assert notice is not None
    assert html_problem(notice) is None
    assert notice.splitlines() == [
        "Drafted from the inbox:",
        "• new: <b>Evals &lt;first&gt; &amp; foremost</b> — <code>articles/evals.md</code>",
        "• updated: <b>RAG in practice</b> — <code>articles/rag.md</code>",
    ]


def test_pass_notice_ends_with_the_commit_link() -> None:
    url = "https://gitlab.com/a/kb/-/commit/0123abc"
    report = PassReport(
        created=[change("Evals", "articles/evals.md")], commit_link=f"Commit: {url}"
    )
    notice = pass_notice(report)
    assert notice is not None and html_problem(notice) is None
    assert notice.splitlines()[-1] == f"Commit: {url}"


def test_no_notice_when_no_article_changed() -> None:
    assert pass_notice(PassReport(set_aside=["x_text.txt"], filed=["x_text.txt"])) is None
    assert pass_notice(PassReport()) is None


def test_serve_tells_the_author_what_a_pass_he_did_not_ask_for_drafted(
    kb: KnowledgeBase, api: FakeBotAPI, openai_server: OpenAIServer, engine: WhisperEngine
) -> None:
    librarian = Librarian(openai_server)
    settings = load_settings(
        kb.root,
        TELEGRAM_BOT_TOKEN=api.token,
        TELEGRAM_ALLOWED_USERS=[OWNER.id],
        TELEGRAM_API_BASE_URL=api.url,
        OPENAI_BASE_URL=openai_server.base_url,
        OPENAI_API_KEY="sk-test-0123456789abcdef",
    )
    application = build_application(settings, engine)
    notifier = Notifier(application)
    passes = Passes(kb, real_pass(settings))
    watcher = Watcher(kb, passes, TIMING, on_report=notifier)

    with running(application, lambda: serve(application, watcher, notifier, handle_signals=False)):
        api.queue(text_message(OWNER, 901, "Evals need their own review step.", date=FEB_4))
        notice = api.wait_for(
            lambda: [m for m in api.sent_to(OWNER.id) if "Drafted from the inbox" in m.text],
            what="the notice of the pass",
        )[0]

    first, new = notice.html.splitlines()[:2]
    assert first == "Drafted from the inbox:"
    assert new.startswith(f"• new: <b>{librarian.titles[0]}</b> — <code>articles/")
    assert passes.outcomes == ["drafted"]
    assert (kb.used / TEXT_NOTE).is_file()
    assert watcher.stopping


def test_serve_without_drafting_settings_refuses_to_start_in_one_line(
    kb: KnowledgeBase,
    api: FakeBotAPI,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    settings = load_settings(
        kb.root,
        TELEGRAM_BOT_TOKEN=api.token,
        TELEGRAM_ALLOWED_USERS=[OWNER.id],
        TELEGRAM_API_BASE_URL=api.url,
        OPENAI_API_KEY=None,
    )
    assert settings.openai_api_key is None
    assert run_command(argparse.Namespace(debounce=1.0), settings) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: no API key")
    assert api.calls == []


def test_serve_command_files_the_note_in_progress_on_sigterm_and_exits_cleanly(
    kb: KnowledgeBase, api: FakeBotAPI, openai_server: OpenAIServer
) -> None:
    librarian = Librarian(openai_server)
    env = child_env(
        kb,
        openai_server,
        TELEGRAM_BOT_TOKEN=api.token,
        TELEGRAM_ALLOWED_USERS=str(OWNER.id),
        TELEGRAM_API_BASE_URL=api.url,
    )
    service = Process(["serve", "--debounce", "0.3"], env)
    try:
        api.queue(text_message(OWNER, 901, "Evals need their own review step.", date=FEB_4))
        api.wait_for(
            lambda: [m for m in api.sent_to(OWNER.id) if "Drafted from the inbox" in m.text],
            what="the notice of the pass",
        )
        voice = api.add_file(SPEECH_OGG.read_bytes())
        api.queue(voice_message(OWNER, 902, voice, date=FEB_4))
        api.wait_for(lambda: api.calls_to("getFile"), what="the voice download")
        service.popen.send_signal(signal.SIGTERM)
        service.wait_for_line("stopping after the work in progress")
        assert service.finish() == 0, service.output
    finally:
        service.kill()

    assert (kb.used / TEXT_NOTE).is_file()
    assert inbox.note_path(kb, VOICE_NOTE) is not None, service.output
    transcript = [m for m in api.sent_to(OWNER.id) if VOICE_NOTE in m.text]
    assert transcript, [m.text for m in api.sent_to(OWNER.id)]
    assert librarian.titles and librarian.titles[0] in service.output
    assert "watcher stopped" in service.output
    assert api.token not in service.output
    assert api.token.split(":")[1] not in service.output


def test_serve_with_a_token_the_bot_api_rejects_stops_in_one_line_without_the_token(
    kb: KnowledgeBase, api: FakeBotAPI, openai_server: OpenAIServer
) -> None:
    revoked = "987654321:AAF-revoked-token-for-tests-0123456789ab"
    env = child_env(
        kb,
        openai_server,
        TELEGRAM_BOT_TOKEN=revoked,
        TELEGRAM_ALLOWED_USERS=str(OWNER.id),
        TELEGRAM_API_BASE_URL=api.url,
    )
    service = Process(["serve"], env)
    try:
        status = service.finish()
    finally:
        service.kill()

    assert status == 2, service.output
    assert revoked.split(":")[1] not in service.output
    assert "Traceback" not in service.output
    assert service.output.splitlines()[-1].startswith(
        "error: the Bot API server rejected TELEGRAM_BOT_TOKEN"
    )
