"""Drafting: pending notes grouped, routed and merged into articles by the language model.

What the rest of the program uses is exported here; the modules beside this one are its parts.
"""

from notes.drafting.asking import MAX_ATTEMPTS, BatchFailed
from notes.drafting.report import ArticleChange, PassReport, PassStopped
from notes.drafting.run import run_command, run_pass
from notes.llm.client import LLMError

__all__ = [
    "MAX_ATTEMPTS",
    "ArticleChange",
    "BatchFailed",
    "LLMError",
    "PassReport",
    "PassStopped",
    "run_command",
    "run_pass",
]
