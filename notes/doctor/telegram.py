"""The bot's settings: the token answered by the Bot API's `getMe`, and the allowed users.

Only the token's owner may see it: no line here holds the token or the request URL.
"""

from __future__ import annotations

import httpx

from notes.doctor.result import Check, failed, passed
from notes.settings import Settings

TIMEOUT = 20.0


def token(settings: Settings, origin: str) -> Check:
    name = "TELEGRAM_BOT_TOKEN"
    secret = settings.telegram_bot_token
    if secret is None or not secret.get_secret_value().strip():
        return failed(name, "not set: create a bot with @BotFather and set its token", origin)
    base = settings.telegram_api_base_url.rstrip("/")
    try:
        response = httpx.get(f"{base}/bot{secret.get_secret_value()}/getMe", timeout=TIMEOUT)
    except httpx.HTTPError as error:
        return failed(name, f"cannot reach the Bot API at {base} ({type(error).__name__})", origin)
    if response.status_code in (401, 404):
        return failed(
            name, f"the Bot API at {base} rejected the token (revoked or mistyped?)", origin
        )
    try:
        bot = response.json()["result"]
        username = bot["username"]
    except (ValueError, KeyError, TypeError):
        return failed(name, f"the Bot API at {base} answered HTTP {response.status_code}", origin)
    return passed(name, f"getMe answers: the bot is @{username}", origin)


def allowed_users(settings: Settings, origin: str) -> Check:
    name = "TELEGRAM_ALLOWED_USERS"
    users = settings.telegram_allowed_users
    if not users:
        return failed(
            name,
            "empty: set your numeric Telegram user id (write to your bot: its refusal tells it)",
            origin,
        )
    return passed(name, f"{len(users)} user(s): {', '.join(map(str, users))}", origin)
