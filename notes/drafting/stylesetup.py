"""The author's style for one drafting pass, from the settings and the KB."""

from __future__ import annotations

from notes.drafting import style, voiceexamples
from notes.drafting.drafter import StyleSetup
from notes.drafting.report import PassReport
from notes.kb import KnowledgeBase
from notes.settings import Settings
from notes.upkeep import stylecheck


def style_setup(settings: Settings, kb: KnowledgeBase, report: PassReport) -> StyleSetup:
    """The rules the prompts carry (recorded as the `style` prompt), the gate, his posts.

    A gate setting naming an unknown tag is a warning, and the default gate applies; a
    folder of posts that is not there is a warning, and the pass drafts without examples.
    """
    source, rules = style.style_source(kb)
    report.prompts["style"] = source
    examples = None
    folder = settings.style_examples
    if folder is not None:
        if folder.is_dir():
            examples = voiceexamples.Examples.load(folder)
        else:
            report.warnings.append(f"style examples: no folder {folder}")
    try:
        gate = stylecheck.parse_gate(settings.style_gate)
    except stylecheck.GateError as error:
        report.warnings.append(f"VOICENOTES_STYLE_GATE: {error}; the default gate applies")
        gate = stylecheck.DEFAULT_GATE
    return StyleSetup(rules, gate, examples)
