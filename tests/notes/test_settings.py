from __future__ import annotations

import pytest

from notes.settings import load_settings

ENV_NAMES = (
    "VOICENOTES_KB",
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_ALLOWED_USERS",
    "OPENAI_API_KEY",
    "VOICENOTES_GLOSSARY",
    "VOICENOTES_LANGUAGE",
    "VOICENOTES_LLM_MODEL",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)


def test_defaults(tmp_path):
    settings = load_settings(tmp_path)
    assert settings.kb == tmp_path.resolve()
    assert settings.language == "ru"
    assert settings.whisper_model == "embedded"
    assert settings.article_language == "English"
    assert settings.telegram_allowed_users == []
    assert settings.telegram_bot_token is None


def test_dotenv_in_the_kb_is_read(tmp_path):
    (tmp_path / ".env").write_text(
        "TELEGRAM_BOT_TOKEN=123:secret\nTELEGRAM_ALLOWED_USERS=1, 2;3\n"
        "VOICENOTES_GLOSSARY=RAG, LLM, OpenAI, evals\n"
    )
    settings = load_settings(tmp_path)
    assert settings.telegram_allowed_users == [1, 2, 3]
    assert settings.glossary == ["RAG", "LLM", "OpenAI", "evals"]
    assert settings.telegram_bot_token is not None
    assert settings.telegram_bot_token.get_secret_value() == "123:secret"


def test_environment_wins_over_dotenv(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("VOICENOTES_LANGUAGE=en\n")
    monkeypatch.setenv("VOICENOTES_LANGUAGE", "auto")
    assert load_settings(tmp_path).language == "auto"


def test_kb_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("VOICENOTES_KB", str(tmp_path))
    assert load_settings().kb == tmp_path.resolve()


def test_secrets_do_not_show_in_repr(tmp_path, monkeypatch):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:very-secret")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-very-secret")
    settings = load_settings(tmp_path)
    assert "very-secret" not in repr(settings)
    assert "very-secret" not in str(settings.model_dump())
