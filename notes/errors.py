"""The error map: which exception is raised where, and where it is caught.

Every exception of voicenotes carries a message that is one line fit to show the user;
`explain` (defined in transcribe.base, the package that imports no other) turns any error
into that line, the one wording used by the command line, the bot, the watcher and the logs.

Raised where                                  Caught where
--------------------------------------------  -------------------------------------------------
transcribe.base.TranscriptionError            notes.cli (`transcribe`: `error:` line, exit 1),
  AudioError   transcribe/audio.py, ogg.py    bot.worker (reply to the author; ModelError is
  NoSpeechError transcribe/engine.py          retried at the next start)
  ModelError   transcribe/engine.py, model.py
  TooLongError transcribe/probe.py (the cap)  (the audio is kept in inbox/audio/)
  ServiceError transcribe/remote.py         bot.worker (kept, tried again after 1 to 60 min),
                                              remote.FallbackTranscriber (done locally)
notes.intake.inbox.AlreadyFiled (FileExistsError)
                                              notes.cli, bot.worker: the note was filed before
notes.intake.transcripts.NoteFormatError      notes.drafting.library (note skipped, warning),
                                              notes.upkeep.check (an error line)
notes.intake.timeline.TimelineError           notes.intake.timeline.read: the note drafts untimed
notes.markdown.frontmatter.FrontMatterError   notes.markdown.articles (-> ArticleFormatError)
notes.markdown.articles.ArticleFormatError    library (article not routed), check, compose
notes.markdown.citations.CitationError        drafting.planner (batch fails), compose
notes.markdown.merge.MergeError               drafting.compose (-> DraftError)
notes.markdown.edits.EditRejected             drafting.revising (-> DraftError: asked again),
  notes.markdown.splice.SpliceError           markdown.moves, drafting.revisionpass
notes.errors.Rejected, its kinds:             drafting.asking: answer shown back to the
  notes.drafting.routing.RouteError           model and asked again (at most MAX_ATTEMPTS)
  notes.drafting.compose.DraftError
  notes.drafting.style.Unpolished             (style only: kept after the last attempt)
  notes.knowing.answer.AnswerRejected         (an answer to `ask`: invented sources, no cite)
notes.llm.client.InvalidAnswer (LLMError)     drafting.asking: asked again, like the above
notes.llm.client.LLMError                     drafting.run: stops the pass -> PassStopped
notes.drafting.BatchFailed                    drafting.run: batch stays in inbox/raw/
notes.drafting.asking.StopRequested           drafting.run: the pass ends between LLM calls
notes.llm.client.Stopped (LLMError)           drafting.run: as StopRequested, the call in
                                              flight abandoned (a signal while waiting)
notes.drafting.PassStopped (LLMError)         notes.watch.watcher (backs off), bot.passes (reply),
                                              drafting.run_command (`error:` line, exit 1)
notes.kb.lock.Busy                            watcher (waits), bot.passes, run_command
                                              cleanup, removal (`error:` line, no change)
notes.kb.gitkb.GitError                       drafting.writers (warning; files stay written)
  notes.kb.gitsync.PullConflict               drafting.run: the pass stops, notes stay in raw/
notes.upkeep.undo.UndoRefused                 undo.run_command, bot.revisions (one line)
notes.upkeep.stylecheck.GateError             lint (`error:` line, exit 2), drafting.stylesetup
                                              (a warning; the default gate applies)
notes.drafting.revise_command.RequestError    revise_command (`error:` line, nothing filed)
notes.evaluation.revisions.CasesError         evaluation.revisions_command (`error:` line)
notes.evaluation.history.HistoryError         notes.evaluation.command (`error:` line, exit 1)
bot.app.ConfigError                           bot.serve, bot.app.run_command (`error:` line)
bot.polling.StartFailed (token rejected)      bot.app.run_guarded (`error:` line, exit 2)
  TokenRejected (revoked while running)       (raised by bot.app.poll once the bot stopped)
bot.instance.AlreadyRunning                   bot.app.run_guarded (`error:` line, exit 2)
bot.voice.DownloadError                       bot.handlers (reply: send it again),
                                              bot.materials (the note keeps the details)
bot.materialtasks.JobTooLong                  bot.materials (kept; tried at the next start)
notes.intake.images.NotAnImage                intake.photos, documents (kept as a file,
  TooLarge (over the pixel budget)            the reason in the note and the answer)
notes.intake.fetch.FetchError                 intake.pages (a link note with `problem`)
notes.intake.pages.ExtractError               intake.pages, documents (as above)
notes.intake.media.MediaError                 intake.videos (the note keeps the reason)
notes.intake.vision.VisionUnavailable         intake.photos, videos (filed undescribed,
                                              `description: pending`; described later)
OSError                                       at each edge: explain(error) says why
"""

from __future__ import annotations

from collections.abc import Sequence

from transcribe.base import explain

__all__ = ["Rejected", "explain"]


class Rejected(ValueError):
    """A model's answer that cannot be used; `problems` says why, one line each.

    The problems are shown to the model when it is asked again (notes.drafting.asking).
    """

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)
