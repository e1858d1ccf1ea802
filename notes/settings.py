"""The one settings object: environment variables, then a `.env` file in the knowledge base."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import unquote, urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_TELEGRAM_API = "https://api.telegram.org"


def _split_list(value: Any) -> Any:
    if isinstance(value, str):
        return [item.strip() for item in value.replace(";", ",").split(",") if item.strip()]
    return value


class Settings(BaseSettings):
    """Every knob of voicenotes. Field aliases are the environment variable names."""

    model_config = SettingsConfigDict(
        extra="ignore", populate_by_name=True, env_file_encoding="utf-8"
    )

    kb: Path = Field(default_factory=Path.cwd, alias="VOICENOTES_KB")
    telegram_bot_token: SecretStr | None = Field(None, alias="TELEGRAM_BOT_TOKEN")
    telegram_allowed_users: Annotated[list[int], NoDecode] = Field(
        default_factory=list, alias="TELEGRAM_ALLOWED_USERS"
    )
    telegram_allowed_groups: Annotated[list[int], NoDecode] = Field(
        default_factory=list, alias="TELEGRAM_ALLOWED_GROUPS"
    )
    telegram_api_base_url: str = Field(DEFAULT_TELEGRAM_API, alias="TELEGRAM_API_BASE_URL")
    openai_api_key: SecretStr | None = Field(None, alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(None, alias="OPENAI_BASE_URL")
    llm_model: str = Field("gpt-4o-mini", alias="VOICENOTES_LLM_MODEL")
    whisper_model: str = Field("embedded", alias="VOICENOTES_WHISPER_MODEL")
    language: str = Field("ru", alias="VOICENOTES_LANGUAGE")
    article_language: str = Field("English", alias="VOICENOTES_ARTICLE_LANGUAGE")
    glossary: Annotated[list[str], NoDecode] = Field(
        default_factory=list, alias="VOICENOTES_GLOSSARY"
    )
    vision_model: str | None = Field(None, alias="VOICENOTES_VISION_MODEL")
    fetch_private: bool = Field(False, alias="VOICENOTES_FETCH_PRIVATE")
    fetch_max_mb: float = Field(15.0, alias="VOICENOTES_FETCH_MAX_MB")

    cache_dir: Path | None = Field(None, alias="VOICENOTES_CACHE_DIR")
    """Where the embedded Whisper model is assembled (None: the platform's cache folder)."""
    max_minutes: float = Field(180.0, ge=0, alias="VOICENOTES_MAX_MINUTES")
    """Longest recording transcribed; a longer one is kept but not transcribed (0: no cap)."""
    git_push: bool = Field(False, alias="VOICENOTES_GIT_PUSH")
    """Push the KB after a pass that committed (`VOICENOTES_GIT_PUSH=1`)."""

    device: Literal["cpu", "cuda", "auto"] = Field("cpu", alias="VOICENOTES_DEVICE")
    """Where Whisper runs: `cpu`, `cuda`, or `auto` (a GPU when one is seen)."""
    compute_type: str = Field("auto", alias="VOICENOTES_COMPUTE_TYPE")
    """CTranslate2 compute type (`auto`: int8 on the CPU, float16 on a GPU)."""
    transcribe_url: str | None = Field(None, alias="VOICENOTES_TRANSCRIBE_URL")
    """A server speaking the OpenAI audio API; audio leaves the machine only when this is set."""
    transcribe_key: SecretStr | None = Field(None, alias="VOICENOTES_TRANSCRIBE_KEY")
    transcribe_model: str = Field("whisper-large-v3", alias="VOICENOTES_TRANSCRIBE_MODEL")
    transcribe_max_mb: float = Field(25.0, gt=0, alias="VOICENOTES_TRANSCRIBE_MAX_MB")
    """The server's upload limit; a larger recording is sent in parts cut at pauses."""
    transcribe_fallback: Literal["none", "local"] = Field(
        "none", alias="VOICENOTES_TRANSCRIBE_FALLBACK"
    )
    """`local`: when the server fails, transcribe on this machine instead of retrying later."""
    style_gate: str = Field("default", alias="VOICENOTES_STYLE_GATE")
    """The author's checker's tags that send a draft back (comma-separated stylint tags;
    `default`, `all`, or `off`): see docs/style.md."""
    style_examples: Path | None = Field(None, alias="VOICENOTES_STYLE_EXAMPLES")
    """A folder of the author's finished posts: passages of voice for the write prompt."""
    timezone: str | None = Field(None, alias="VOICENOTES_TIMEZONE")
    """The author's time zone for times shown in the chat (an IANA name such as
    `Europe/Berlin`; None: the machine's)."""
    embedding_model: str | None = Field(None, alias="VOICENOTES_EMBEDDING_MODEL")
    """An embeddings model on the LLM server: retrieval then fuses it with the word ranking
    (None: the word ranking alone)."""

    def secrets(self) -> list[str]:
        """Every secret value these settings hold, as it could appear in text: the keys and
        tokens, and the credentials of server URLs (raw and percent-decoded)."""
        found = [
            secret.get_secret_value()
            for secret in (self.openai_api_key, self.telegram_bot_token, self.transcribe_key)
            if secret is not None
        ]
        for url in (self.openai_base_url, self.telegram_api_base_url, self.transcribe_url):
            found += _url_credentials(url or "")
        return [secret for secret in dict.fromkeys(found) if secret]

    @field_validator("telegram_allowed_users", "telegram_allowed_groups", "glossary", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        return _split_list(value)

    @field_validator("timezone", mode="after")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        from notes.whenwords import zone

        zone(value)  # raises ValueError for a zone that does not exist
        return value

    @field_validator("kb", mode="after")
    @classmethod
    def _absolute_kb(cls, value: Path) -> Path:
        return value.expanduser().resolve()


def _url_credentials(url: str) -> list[str]:
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return []
    userinfo = parts.netloc.rpartition("@")[0]
    found = [userinfo, unquote(userinfo)] if userinfo else []
    if password:  # the user name alone is no secret, and may be a common word
        found += [password, unquote(password)]
    return found


def load_settings(kb: Path | str | None = None, **overrides: Any) -> Settings:
    """Settings for the knowledge base `kb` (else VOICENOTES_KB, else the current directory).

    Environment variables win over the KB's `.env`; explicit overrides win over both.
    """
    root = Path(kb or os.environ.get("VOICENOTES_KB") or Path.cwd()).expanduser().resolve()
    env_file = root / ".env"
    values = {key: value for key, value in overrides.items() if value is not None}
    values["VOICENOTES_KB"] = root
    return Settings(_env_file=env_file if env_file.is_file() else None, **values)  # type: ignore[call-arg]
