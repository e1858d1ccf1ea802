"""The term list a replay may use at each run: learned only from notes filed before its month.

Learning from notes the router has yet to see would flatter it; learning month by month is
how the term list meets his KB in use (new months, words it has not learned yet).
"""

from __future__ import annotations

from notes.evaluation.history import History
from notes.retrieval import lexicon
from notes.retrieval.lexicon import Lexicon


class MonthlyLexicons:
    """The lexicon of each month of a history, learned once per month."""

    def __init__(self, history: History) -> None:
        self.history = history
        self._learned: dict[str, Lexicon] = {}

    def at(self, run: int) -> Lexicon:
        """What is learned from the notes filed before the month of run `run` began."""
        month = self.history.runs[run].date.strftime("%Y-%m")
        if month not in self._learned:
            first = next(
                n for n, r in enumerate(self.history.runs) if r.date.strftime("%Y-%m") == month
            )
            known = self.history.known(first)
            articles = [
                text
                for path, text in self.history.texts.items()
                if not path.startswith("articles/synthetic/")
            ]
            pairs = lexicon.pairs_of(articles, self.history.note_text, known.__contains__)
            self._learned[month] = lexicon.learn(pairs)
        return self._learned[month]
