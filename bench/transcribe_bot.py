"""The real bot transcribing voice notes, for its peak RSS: run as a fresh process.

The bot (with the real faster-whisper engine, as `voicenotes bot` builds it) polls the fake
Bot API server of the tests; every FILE is sent as a voice note and the process exits once
all are answered. bench/transcribe.py reads the peak RSS of this process.

    python bench/transcribe_bot.py KB FILE...
"""

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))  # for tests.support

from notes.kb import KnowledgeBase  # noqa: E402
from tests.support.telegram_server import (  # noqa: E402
    OWNER,
    FakeBotAPI,
    bot_running,
    bot_settings,
    voice_message,
)
from transcribe import heap  # noqa: E402


def main() -> int:
    kb_root, *files = sys.argv[1:]
    heap.share_one_arena()  # as every voicenotes command does first (notes/startup.py)
    kb = KnowledgeBase(Path(kb_root)).ensure()
    with FakeBotAPI() as api:
        settings = bot_settings(kb.root, api)
        from bot.app import _whisper

        with bot_running(settings, _whisper(settings)):
            for number, name in enumerate(files, start=1):
                file_id = api.add_file(Path(name).read_bytes())
                api.queue(voice_message(OWNER, number, file_id))
            api.wait_for(lambda: _answered(api, len(files)), timeout=3600, what="every answer")
    return 0


def _answered(api: FakeBotAPI, count: int) -> bool:
    return len([m for m in api.sent_to(OWNER.id) if m.edited_at]) >= count


if __name__ == "__main__":
    sys.exit(main())
