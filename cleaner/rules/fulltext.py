"""Keep Whisper JSON's top-level `text` in step with its segments when a fix changes them.

openai-whisper writes `{"text": ..., "segments": [...]}` where `text` is every segment's text
joined. It is derived data: rules edit segments, and a removed duplicate or a corrected term
would live on in `text`. So after the fix passes, the engine calls `resync`: when the original
`text` was the segments joined (exactly, or with whitespace alone differing), it is rewritten as
the fixed segments joined the same way. A `text` that was something else (hand-edited, a
summary) is left alone, and `check` reports nothing: before a fix there is nothing out of step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from cleaner.config import Config
from cleaner.formats import json_format
from cleaner.formats.jsonscan import JObject, JsonError, JStr, scan
from cleaner.model import Document, Edit, Finding, Severity
from cleaner.rules import RuleInfo

RULE = "json-full-text"

_SEGMENT = '  {{"start": {0}.0, "end": {1}.0, "text": " Thanks for watching."}}'
_LOOPED = ",\n".join(_SEGMENT.format(k, k + 1) for k in range(6))
_WHISPER = '{{"text": "{}", "segments": [\n{}\n], "language": "en"}}\n'.format(
    " Thanks for watching." * 6, _LOOPED
)

RULES = (
    RuleInfo(
        id=RULE,
        summary="Whisper JSON's top-level `text` is rewritten when a fix changes its segments.",
        fix="safe",
        explanation=(
            "openai-whisper's JSON holds every segment's text twice: in its segment and joined "
            "in the top-level `text`. When `fix` removes a duplicate segment, a loop, or corrects "
            "a term, the top-level `text` is rewritten as the fixed segments joined the way the "
            "original was (directly, as Whisper does, or with spaces), so the two stay in step. "
            "This happens only when the original `text` was the segments joined (whitespace "
            "aside); any other `text` is left as it is. `check` reports nothing of its own: the "
            "rewrite shows in `fix --diff` and among the applied fixes. The examples below are "
            "checked with `fix`."
        ),
        must_flag=(_WHISPER,),
        must_not_flag=(_WHISPER.replace('"text": " Thanks', '"text": "Summary: Thanks'),),
        example_format="json",
    ),
)

_Join = Callable[[Sequence[str]], str]
# How tools join segment texts into the full text, the exact ones first.
_JOINS: tuple[_Join, ...] = (
    "".join,  # openai-whisper: segment texts start with a space
    lambda texts: "".join(texts).strip(),
    lambda texts: " ".join(text.strip() for text in texts if text.strip()),
)


def check(doc: Document, config: Config) -> Iterator[Finding]:
    """Report nothing: the full text is only out of step after a fix (see `resync`)."""
    return iter(())


def resync(original: Document, fixed: Document, config: Config) -> Finding | None:
    """Return the finding that rewrites `fixed`'s full text, if `original`'s was derived."""
    if not config.enabled(RULE) or original.format != json_format.NAME:
        return None
    before, after = _full_text(original.text), _full_text(fixed.text)
    if before is None or after is None:
        return None
    join = _join_of(before.value, [segment.text for segment in original.segments])
    if join is None:
        return None
    wanted = join([segment.text for segment in fixed.segments])
    if wanted == after.value:
        return None
    return fixed.finding(
        RULE,
        Severity.INFO,
        f'the top-level "text" is rewritten to match the fixed segments '
        f"({len(after.value):,} -> {len(wanted):,} characters)",
        after.start,
        after.end,
        edits=[Edit(after.start + 1, after.end - 1, json_format.escape(wanted))],
        reason='the top-level "text" is the segments\' text joined',
    )


def _full_text(source: str) -> JStr | None:
    """Return the root object's `text` string of a JSON transcript, if it has one."""
    try:
        root = scan(source, keep_depth=1)
    except JsonError:
        return None
    if not isinstance(root, JObject) or root.get("segments") is None:
        return None
    text = root.get("text")
    return text if isinstance(text, JStr) else None


def _join_of(full: str, texts: Sequence[str]) -> _Join | None:
    """Return the join that makes `full` from `texts`; whitespace-only differences allowed."""
    for join in _JOINS:
        if join(texts) == full:
            return join
    squashed = " ".join(full.split())
    if any(" ".join(join(texts).split()) == squashed for join in _JOINS):
        return _JOINS[2]
    return None
