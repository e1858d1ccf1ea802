"""Reading a JSON file of tool state (`.voicenotes/NAME`) that is a cache, not knowledge.

Such a file may be missing (never written) or damaged (cut by a crash, edited by hand); either
way its reader goes on as if it were empty, and only a damaged one is worth a warning.
"""

from __future__ import annotations

import json
import logging

from notes.errors import explain
from notes.kb import KnowledgeBase


def load_json(kb: KnowledgeBase, name: str, log: logging.Logger) -> object | None:
    """The parsed content of `.voicenotes/{name}`; None when it is missing, or unreadable (not
    UTF-8, not JSON), which `log` warns of in one line."""
    try:
        data: object = json.loads((kb.state / name).read_bytes().decode("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        log.warning("%s ignored: %s", name, explain(error))
        return None
    return data
