"""Report what a format reader kept as text but could not parse."""

from __future__ import annotations

from collections.abc import Iterator

from cleaner.config import Config
from cleaner.model import Document, Finding, Severity
from cleaner.rules import RuleInfo

RULES = (
    RuleInfo(
        id="malformed-cue",
        summary="A cue block whose timing line cannot be read; kept as text.",
        fix="none",
        explanation=(
            "The reader expected a timing line such as `00:00:01,000 --> 00:00:02,000` and "
            "found something else, or found a second timing line inside the cue text. The "
            "block is kept exactly as written and reported so that a person can repair it; "
            "other parsers drop such cues silently."
        ),
        must_flag=("1\n00:00:01,000 -> 00:00:02,000\nHello\n",),
        must_not_flag=("1\n00:00:01,000 --> 00:00:02,000\nHello\n",),
        example_format="srt",
    ),
    RuleInfo(
        id="malformed-json",
        summary="A JSON transcript that is not valid JSON, or of a shape no reader knows.",
        fix="none",
        explanation=(
            "JSON transcripts are read from Whisper, WhisperX, faster-whisper, Podcasting 2.0 "
            "and youtube-transcript-api shapes. Invalid JSON, or JSON of another shape, is "
            "reported and left untouched."
        ),
        must_flag=('{"segments": [{"start": 0, "end": 1, "text": "hi"}',),
        must_not_flag=('{"segments": [{"start": 0, "end": 1, "text": "hi"}]}',),
        example_format="json",
    ),
)

_RULE_OF_PROBLEM = {"unknown-json-shape": "malformed-json"}


def check(doc: Document, config: Config) -> Iterator[Finding]:
    """Turn the reader's problems into findings (timestamp problems stay with their rule)."""
    for problem in doc.problems:
        if problem.rule == "timestamp-invalid":
            continue  # cleaner.rules.timestamps reports these, honouring its per-format switch
        rule = _RULE_OF_PROBLEM.get(problem.rule, problem.rule)
        yield doc.finding(rule, Severity.ERROR, problem.message, problem.start, problem.end)
