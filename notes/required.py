"""The settings each command cannot run without, checked all at once before it starts."""

from __future__ import annotations

from notes.settings import Settings

NEEDS_BOT = frozenset({"bot", "serve"})
NEEDS_LLM = frozenset({"draft", "watch", "serve"})

TOKEN_MISSING = "TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and set its token"
USERS_MISSING = (
    "TELEGRAM_ALLOWED_USERS is empty: set it to your numeric Telegram user id "
    "(write to your bot once: its refusal tells you the id)"
)
KEY_MISSING = "OPENAI_API_KEY is not set (any value for a local server that needs none)"


def problems(settings: Settings, command: str) -> list[str]:
    """One line per setting `command` needs and does not have, in the order of the docs."""
    found = []
    if command in NEEDS_BOT:
        token = settings.telegram_bot_token
        if token is None or not token.get_secret_value().strip():
            found.append(TOKEN_MISSING)
        if not settings.telegram_allowed_users:
            found.append(USERS_MISSING)
    if command in NEEDS_LLM and settings.openai_api_key is None:
        found.append(KEY_MISSING)
    return found
