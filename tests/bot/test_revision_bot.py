"""Revisions through the bot: a reply to its message asks, /draft revises, the answer shows the
diff with an Undo button, and Undo restores the article. The real bot against the local Bot
API, the real `openai` client against the local scripted server, real git."""

from __future__ import annotations

import pytest

from bot import revisions
from notes.drafting.answers import REVISE, ROUTE
from notes.drafting.report import Revision
from notes.kb import KnowledgeBase
from notes.settings import Settings
from notes.upkeep import check
from tests.support.openai_server import OpenAIServer, settings_for
from tests.support.revising import (
    ARTICLE,
    CORRECTION,
    TITLE,
    git_init,
    rag_article,
    reply_to,
    revised,
)
from tests.support.telegram_server import (
    OWNER,
    FakeBotAPI,
    SentMessage,
    bot_running,
    callback_query,
    text_message,
)
from tests.support.web_server import WebServer
from transcribe.engine import WhisperEngine

pytestmark = [pytest.mark.timeout(180), pytest.mark.usefixtures("no_user_git_config")]


def sent(api: FakeBotAPI, count: int) -> list[SentMessage]:
    found = api.sent_to(OWNER.id)
    return found if len(found) >= count else []


def bot_and_model(
    server: OpenAIServer, kb: KnowledgeBase, api: FakeBotAPI, **extra: object
) -> Settings:
    """Settings for a bot that talks to `api`, serves the owner and drafts with `server`."""
    return settings_for(
        server,
        kb.root,
        TELEGRAM_BOT_TOKEN=api.token,
        TELEGRAM_ALLOWED_USERS=[OWNER.id],
        TELEGRAM_API_BASE_URL=api.url,
        **extra,
    )


def test_a_reply_revises_the_article_and_undo_restores_it_byte_for_byte(
    kb: KnowledgeBase, api: FakeBotAPI, server: OpenAIServer, engine: WhisperEngine
) -> None:
    before = rag_article(kb)
    git_init(kb)
    settings = bot_and_model(server, kb, api)
    server.on(REVISE, revised(CORRECTION))
    api.queue(text_message(OWNER, 1, "/articles"))
    with bot_running(settings, engine):
        (listing,) = api.wait_for(lambda: sent(api, 1), what="the list")
        api.queue(reply_to(text_message(OWNER, 2, "это Mladen, не Ladden"), listing))
        api.wait_for(lambda: sent(api, 2), what="the request filed")
        api.queue(text_message(OWNER, 3, "/draft"))
        shown = api.wait_for(lambda: sent(api, 4), what="the revision's message")[3]
        revised_text = (kb.root / ARTICLE).read_text(encoding="utf-8")
        markup = shown.reply_markup or {}
        press = callback_query(OWNER, shown, markup["inline_keyboard"][0][0]["callback_data"])
        api.queue(press, "callback_query")
        undone = api.wait_for(lambda: sent(api, 5), what="the undo answer")[4]
        restored = (kb.root / ARTICLE).read_text(encoding="utf-8")
        api.queue(press | {"id": "again"}, "callback_query")
        again = api.wait_for(lambda: sent(api, 6), what="the second undo answer")[5]
        api.queue(reply_to(text_message(OWNER, 4, "и ещё поправь"), shown))
        api.wait_for(lambda: sent(api, 7), what="the second request filed")

    assert server.requests_for(ROUTE) == []
    assert "Mladen Petrov built" in revised_text
    assert f"Revised {TITLE} ({ARTICLE})" in shown.text
    assert "- Ladden Petrov built the first retriever[^1]." in shown.text
    assert "+ Mladen Petrov built the first retriever[^1]." in shown.text
    assert "Committed locally" in shown.text and "updated:" not in shown.text
    assert undone.text.startswith("Undone: " + ARTICLE) and undone.reply_to == shown.message_id
    assert restored == before
    assert shown.reply_markup is None  # the button went with the undo
    assert again.text.startswith("Not undone: ") and ARTICLE in again.text
    assert check.check_kb(kb).errors == []
    (second,) = kb.raw.glob("*_msg4.md")
    assert f"\narticle: {ARTICLE}\n" in second.read_text(encoding="utf-8")


def test_undo_says_so_when_something_later_touched_the_article(
    kb: KnowledgeBase, server: OpenAIServer
) -> None:
    from notes.drafting import run_pass
    from tests.support.revising import request_note

    rag_article(kb)
    git_init(kb)
    request_note(kb, 1, "Mladen")
    server.on(REVISE, revised(CORRECTION))
    report = run_pass(settings_for(server, kb.root))
    assert report.commit is not None
    path = kb.root / ARTICLE
    path.write_text(path.read_text(encoding="utf-8") + "\nMy own line.\n", encoding="utf-8")

    answer = revisions.undo_answer(kb, report.commit)

    assert answer.startswith("Not undone: ") and ARTICLE in answer
    assert path.read_text(encoding="utf-8").endswith("My own line.\n")


def test_the_revision_message_fits_one_message() -> None:
    diff = "".join(f"-old line {n} " + "x" * 80 + "\n+new line\n" for n in range(200))
    text = revisions.revision_text(Revision(ARTICLE, TITLE, ("n.md",), diff, "Many."), "Commit: u")
    assert len(text.encode("utf-16-le")) // 2 <= 4096
    assert text.startswith(f"Revised <b>{TITLE}</b>") and text.endswith("</pre>\nCommit: u")
    assert "- old line 0 " in text and "…" in text


def test_a_reply_to_the_drafting_notice_asks_for_the_article_it_names(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    from bot.app import notify
    from bot.serve import pass_notice
    from notes.drafting import ArticleChange, PassReport
    from notes.kb.articlemap import Named
    from tests.support.telegram_server import bot_settings

    rag_article(kb)
    report = PassReport(updated=[ArticleChange(ARTICLE, TITLE, ("n.md",))])
    notice = pass_notice(report)
    assert notice is not None
    with bot_running(bot_settings(kb.root, api), engine) as bot:
        bot.call(notify(bot.application, notice, [Named(ARTICLE, TITLE)]))
        (shown,) = api.wait_for(lambda: sent(api, 1), what="the notice")
        api.queue(reply_to(text_message(OWNER, 2, "убери последнюю фразу"), shown))
        api.wait_for(lambda: sent(api, 2), what="the request filed")

    (request,) = kb.raw.glob("*_msg2.md")
    assert f"\narticle: {ARTICLE}\n" in request.read_text(encoding="utf-8")


def test_a_link_sent_in_reply_is_material_for_the_article_the_message_names(
    kb: KnowledgeBase, api: FakeBotAPI, server: OpenAIServer, engine: WhisperEngine, web: WebServer
) -> None:
    """Its words ask for the change (the text note); the page (the link note) is what to add."""
    rag_article(kb)
    page = web.page("/hit-rate", "<html><body><article><p>Hit rate, explained.</p></article>")
    settings = bot_and_model(server, kb, api, VOICENOTES_FETCH_PRIVATE=True)
    api.queue(text_message(OWNER, 1, "/articles"))
    with bot_running(settings, engine):
        (listing,) = api.wait_for(lambda: sent(api, 1), what="the list")
        api.queue(reply_to(text_message(OWNER, 2, f"добавь отсюда про hit rate {page}"), listing))
        api.wait_for(lambda: _edited(api), what="the link filed")

    (words,) = kb.raw.glob("*_msg2.md")
    (link,) = kb.raw.glob("*_msg2_link.md")
    for note in (words, link):
        assert f"\narticle: {ARTICLE}\n" in note.read_text(encoding="utf-8"), note.name
    assert "Hit rate, explained." in link.read_text(encoding="utf-8")


def _edited(api: FakeBotAPI) -> bool:
    """An acknowledgement has been edited into what was filed."""
    return any(message.edited_at for message in api.sent_to(OWNER.id))


def test_an_edit_in_telegram_after_drafting_revises_the_article_drafted_from_it(
    kb: KnowledgeBase, api: FakeBotAPI, server: OpenAIServer, engine: WhisperEngine
) -> None:
    from tests.support.telegram_server import FEB_4

    text = rag_article(kb)
    stem = "20260204_102339_AlexeyDTC_msg971"
    drafted = "---\nsource: telegram\ndate: 2026-02-04T10:23:39+00:00\nuser_id: 822266080\n"
    (kb.used / f"{stem}.md").write_text(drafted + "username: AlexeyDTC\n---\n\nLadden Petrov")
    cited = text.split("[^1]: [")[1].split("]")[0]
    (kb.root / ARTICLE).write_text(text.replace(cited, f"{stem}.md"), encoding="utf-8")
    git_init(kb)
    settings = bot_and_model(server, kb, api)
    server.on(REVISE, revised(CORRECTION))
    edit = text_message(OWNER, 971, "Mladen Petrov", FEB_4) | {"edit_date": FEB_4 + 60}
    with bot_running(settings, engine):
        api.queue(edit, "edited_message")
        api.wait_for(lambda: sent(api, 1), what="the edit's answer")
        api.queue(text_message(OWNER, 3, "/draft"))
        shown = api.wait_for(lambda: sent(api, 3), what="the revision's message")[2]

    assert server.requests_for(ROUTE) == []
    assert "+ Mladen Petrov built the first retriever[^1]." in shown.text
    after = (kb.root / ARTICLE).read_text(encoding="utf-8")
    assert "Mladen Petrov built" in after and "Ladden" not in after
    assert (kb.used / "feedback" / f"{stem}_edited.md").is_file()
    assert check.check_kb(kb).errors == []


def test_the_watcher_s_notice_shows_each_revision_with_its_undo_button(
    kb: KnowledgeBase, api: FakeBotAPI, engine: WhisperEngine
) -> None:
    from bot.serve import Notifier
    from notes.drafting import ArticleChange, PassReport
    from notes.kb.articlemap import named_by
    from tests.support.telegram_server import bot_settings

    diff = f"--- a/{ARTICLE}\n+++ b/{ARTICLE}\n@@ -1 +1 @@\n-Ladden\n+Mladen\n"
    report = PassReport(
        created=[ArticleChange("articles/new.md", "New", ("a.md",))],
        revised=[Revision(ARTICLE, TITLE, ("r.md",), diff, "Fixed the name.")],
        commit="0123456789abcdef0123456789abcdef01234567",
        commit_link="Committed locally (0123456).",
    )
    with bot_running(bot_settings(kb.root, api), engine) as bot:
        notifier = Notifier(bot.application)
        notifier.loop = bot.loop
        notifier(report)
        notice, shown = api.wait_for(lambda: sent(api, 2), what="the notice and the revision")

    assert notice.text.startswith("Drafted from the inbox:") and notice.reply_markup is None
    assert shown.text.splitlines() == [
        f"Revised {TITLE} ({ARTICLE}): Fixed the name.",
        "- Ladden",
        "+ Mladen",
        "Committed locally (0123456).",
    ]
    button = (shown.reply_markup or {})["inline_keyboard"][0][0]
    assert button == {"text": "Undo", "callback_data": f"undo:{report.commit}"}
    assert [n.path for n in named_by(kb, OWNER.id, notice.message_id)] == ["articles/new.md"]
    assert [n.path for n in named_by(kb, OWNER.id, shown.message_id)] == [ARTICLE]
