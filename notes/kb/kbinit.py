"""`voicenotes init DIR`: a knowledge base of its own, or what an existing one is missing.

It creates only what is absent (the folders, a git repository, `.gitignore`, a commented
`.env`) and never rewrites a file that exists: on the author's own KB it adds and reports,
and his files keep every byte.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from notes.kb import KnowledgeBase, atomic, gitkb, kbguard
from notes.settings import Settings

GITIGNORE = """\
# Kept out of git by voicenotes: the secrets, and the tool's own state (run log, locks,
# queues); the article descriptions the generated index shows are committed.
.env
.voicenotes/*
!.voicenotes/descriptions.json
"""
IGNORED = (".env", ".voicenotes/")
"""What `.gitignore` must keep out; an existing `.gitignore` that does not is reported."""

ENV_TEMPLATE = """\
# voicenotes settings for this knowledge base. The environment wins over this file.
# Keep this file private: it holds secrets, and .gitignore keeps it out of git.
# Check them all at once with: voicenotes doctor --kb {kb}

# Required for the bot: the token @BotFather gives you.
TELEGRAM_BOT_TOKEN=
# Required for the bot: your numeric Telegram user id (comma-separated for several).
# Don't know it? Start the bot and write to it: its refusal tells you your id.
TELEGRAM_ALLOWED_USERS=

# Required for drafting: the key of your OpenAI-compatible server (any value for a
# local server that needs none).
OPENAI_API_KEY=
# OPENAI_BASE_URL=http://127.0.0.1:11434/v1     # Ollama, llama.cpp, vLLM...
# VOICENOTES_LLM_MODEL=gpt-4o-mini
# VOICENOTES_VISION_MODEL=gpt-4o-mini           # describes photos
# VOICENOTES_WHISPER_MODEL=embedded             # or small, large-v3-turbo, a folder
# VOICENOTES_LANGUAGE=ru
# VOICENOTES_TIMEZONE=Europe/Berlin             # default: this machine's
# VOICENOTES_GIT_PUSH=1
"""


def run_command(args: argparse.Namespace, settings: Settings | None = None) -> int:
    """Make (or complete) the knowledge base at `args.directory`, print each step and the next."""
    root = Path(args.directory).expanduser().resolve()
    if kbguard.is_source_tree(root):
        print(
            f"error: {root} is inside the voicenotes source tree: choose a folder outside it",
            file=sys.stderr,
        )
        return 2
    for line in initialise(root):
        print(line)
    print()
    print(next_step(root))
    return 0


def initialise(root: Path) -> list[str]:
    """Create what the KB at `root` lacks; one line per thing done or left as it was."""
    done: list[str] = []
    created = [f for f in _folders(root) if not f.exists()]
    KnowledgeBase(root).ensure()
    done += [f"created {_shown(root, folder)}/" for folder in created]
    fresh = not (root / ".git").exists() and not gitkb.is_repo(root)
    if fresh:
        subprocess.run(["git", "init", "--quiet", str(root)], check=True, timeout=60)
        done.append("created a git repository (git init)")
    ignore = root / ".gitignore"
    ours = not ignore.exists()
    done += _write_once(ignore, GITIGNORE, root)
    if fresh and ours:  # a repository and an ignore file of our making: their first commit
        gitkb.commit(root, [ignore], "voicenotes init: keep .env and tool state out")
    done += _missing_ignores(root)
    done += _write_once(root / ".env", ENV_TEMPLATE.format(kb=root), root, private=True)
    return done or ["nothing to add: the knowledge base has everything"]


def next_step(root: Path) -> str:
    env = root / ".env"
    return (
        f"Next: fill in {env} (TELEGRAM_BOT_TOKEN, TELEGRAM_ALLOWED_USERS, OPENAI_API_KEY), "
        f"check it with `voicenotes doctor --kb {root}`, "
        f"then run `voicenotes serve --kb {root}`."
    )


def _folders(root: Path) -> list[Path]:
    kb = KnowledgeBase(root)
    return [kb.inbox, kb.raw, kb.used, kb.audio, kb.articles, kb.state]


def _write_once(path: Path, text: str, root: Path, *, private: bool = False) -> list[str]:
    if path.exists():
        return [f"kept your {_shown(root, path)} as it is"]
    atomic.write_text(path, text)
    os.chmod(path, 0o600 if private else 0o644)
    return [f"created {_shown(root, path)}"]


def _missing_ignores(root: Path) -> list[str]:
    """Warnings for what the KB's git would commit though it must not (`.env`, state)."""
    if not gitkb.is_repo(root):
        return []
    warnings = []
    for name in IGNORED:
        probe = root / name / "runlog.jsonl" if name.endswith("/") else root / name
        done = subprocess.run(
            ["git", "-C", str(root), "check-ignore", "-q", "--no-index", str(probe)],
            check=False,
            timeout=60,
        )
        if done.returncode != 0:
            warnings.append(f"warning: git does not ignore {name}: add `{name}` to .gitignore")
    return warnings


def _shown(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()
