"""The one ledger of a pass, and what derives from it: summary, commit message, run-log line."""

from __future__ import annotations

from notes.drafting.report import ArticleChange, FailedBatch, PassDecision, PassReport
from notes.llm.exchange import CallRecord, Message

CALL = CallRecord(
    "route_batch", "m", 100, 20, 1.5, prompt="route_v1", messages=(Message("user", "hi"),)
)


def report() -> PassReport:
    return PassReport(
        created=[ArticleChange("articles/a.md", "A", ("n1", "n2"))],
        updated=[ArticleChange("articles/b.md", "B", ("n3",))],
        set_aside=["n4"],
        filed=["n1", "n2", "n3", "n4", "n5"],
        recovered=["n5"],
        decided=[PassDecision("skip", ("n4",), None, None, "a reminder", ("route_v1",))],
        warnings=["descriptions not saved: disk full"],
        rejected=["route_batch attempt 1: S9 is unknown"],
        failed=[FailedBatch(("n6",), "write_article failed after 3 attempts")],
        calls=[CALL, CALL],
        prompts={"route": "route_v1"},
        model="m",
        started="2026-12-01T10:00:00+00:00",
    )


def test_a_report_summary_lists_everything() -> None:
    assert report().summary() == (
        "Drafting pass: 1 created, 1 updated, 1 set aside, 1 batch(es) failed.\n"
        "+ articles/a.md (A) from 2 notes\n"
        "~ articles/b.md (B) with 1 note\n"
        "- set aside n4\n"
        "! left in inbox/raw: n6: write_article failed after 3 attempts\n"
        "warning: descriptions not saved: disk full"
    )


def test_the_commit_message_names_every_change() -> None:
    assert report().commit_message() == (
        "Draft articles: 1 created, 1 updated, 1 set aside\n\n"
        'Create articles/a.md "A" from 2 notes\n'
        'Update articles/b.md "B" with 1 note\n'
        "Set aside n4\n"
        "File n5 (already cited)\n"
    )
    assert PassReport(filed=["n5"], recovered=["n5"]).commit_message() == (
        "Draft articles: file cited notes\n\nFile n5 (already cited)\n"
    )


def test_the_run_log_record_is_derived_from_the_report() -> None:
    record = report().record()
    assert (record.time, record.model, record.prompts) == (
        "2026-12-01T10:00:00+00:00",
        "m",
        {"route": "route_v1"},
    )
    assert (record.tokens_in, record.tokens_out, record.latency) == (200, 40, 3.0)
    assert record.calls[0]["messages"] == ({"role": "user", "content": "hi"},)
    assert record.decisions == [
        {
            "action": "skip",
            "notes": ["n4"],
            "article": None,
            "title": None,
            "reason": "a reminder",
            "prompts": ["route_v1"],
        }
    ]
    assert (record.created, record.updated) == (["articles/a.md"], ["articles/b.md"])
    assert record.errors == [
        "descriptions not saved: disk full",
        "route_batch attempt 1: S9 is unknown",
        "n6: write_article failed after 3 attempts",
    ]
    assert report().decisions == ["skip: n4 -> set aside: a reminder"]
