"""Find and remove duplicated passages in a plain-text stream, in bounded memory.

Reach: a later copy is found when its first copy is among the last `reach_words` words
(default 2,000,000 words, about 12 MB of English). Memory: the word hashes and line numbers of
that reach (12 bytes a word, in arrays reserved once for the reach and an eighth more), its
fingerprints (about 4 bytes a word, kept sorted so that each chunk adds to them instead of
sorting them again), the text not yet written, one chunk's words, and the findings handed to
`on_finding` (which the caller may keep: under 1 KB each). Delay: text is written as soon as
it can no longer be part of a copy still being read: everything before the start of the
earliest open match, less `HOLD` words. The first copy is the one kept (`keep = "first"`), so
nothing already written ever has to be taken back; the later copy is dropped when it is
recognized. Text is cut at line breaks, so one line longer than a chunk is held whole, up to
`max_line_length` characters: a longer line is refused by number, as the document path does.

Only `duplicate-passage` runs here; `cleaner.pipes` sends plain text through this path when that
rule is the only one selected (standard input), or when the input (standard input or a named
file) is above `pipes.LARGE_BYTES` (64 MB), too large to hold as a document: the other rules,
whose state is the whole document, do not run on such an input, and the CLI says so. A copy's
bounds are those of the document rule: words it reaches into the next or previous line by
chance (a speaker label) are trimmed the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import NoReturn

import numpy as np

from cleaner.config import Config
from cleaner.errors import CleanerError, InputError, InternalError
from cleaner.fingerprint import (
    NGRAM,
    WINDOW,
    Tokenizer,
    Vocabulary,
    nth_word_span,
)
from cleaner.fix import apply_edits
from cleaner.model import Edit, Finding, Related, Severity
from cleaner.passages import GAP, MARGIN, Copy, chain_seeds, select, trim_to_units, verify
from cleaner.removal import plain_edits
from cleaner.rules.duplicates import RULE, wording
from cleaner.streamwindow import Ranges, Window

HOLD = GAP + NGRAM + WINDOW + MARGIN  # words after the last match that may still extend it
TOKENIZER_CAP = 50_000  # distinct chunks a stream learns before it starts over (~3 MB)
VOCABULARY_CAP = 100_000  # distinct words whose hashes a stream caches (~12 MB)
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")


@dataclass(slots=True)
class _Stream:
    """What a running stream holds between chunks."""

    config: Config
    path: str
    reach: int
    window: Window
    tokenizer: Tokenizer = field(
        default_factory=lambda: Tokenizer(Vocabulary(cap=VOCABULARY_CAP), cap=TOKENIZER_CAP)
    )
    buffer: str = ""  # text read but not yet written, from absolute offset `buffer_start`
    buffer_start: int = 0
    line_starts: list[int] = field(default_factory=lambda: [0])  # absolute, lines in buffer
    first_line: int = 1  # the line number of line_starts[0]
    lines_read: int = 0  # line breaks read so far
    settled: int = 0  # absolute word index: words before it are no longer a later copy
    edits: list[Edit] = field(default_factory=list)  # absolute offsets, not yet written
    removed: Ranges = field(default_factory=lambda: Ranges())  # later copies, absolute words


def stream_fix(
    chunks: Iterable[str],
    config: Config,
    *,
    path: str = "<stdin>",
    fix: bool = True,
    on_finding: Callable[[Finding], None] = lambda finding: None,
    reach_words: int = 2_000_000,
) -> Iterator[str]:
    """Yield the text of `chunks` with later copies of duplicated passages removed.

    Findings go to `on_finding` as they are decided; with `fix=False` the text is yielded
    unchanged. Offsets and lines in findings are those of the whole input.
    """
    reach = max(reach_words, 4 * HOLD)
    state = _Stream(config, path, reach, Window(reach + reach // 8))
    pending = ""
    source = iter(chunks)
    try:
        limit = config.max_line_length
        for chunk in source:
            pending += chunk
            cut = _last_line_end(pending)
            if cut <= 0:
                if len(pending) > limit:  # one line, still growing: never held whole
                    _refuse_long_line(state.lines_read, [pending], source, limit, path)
                continue
            ready, pending = pending[:cut], pending[cut:]
            if len(ready) > limit:
                _refuse_long_lines(state.lines_read, ready, limit, path)
            yield from _feed(state, ready, fix, on_finding, final=False)
        ready, pending = pending, ""
        if len(ready) > limit:
            _refuse_long_lines(state.lines_read, ready, limit, path)
        yield from _feed(state, ready, fix, on_finding, final=True)
    except CleanerError:
        raise  # unreadable input: reported by the caller as it is
    except Exception as exc:
        # A bug: nothing is lost. What was read but not written goes out as it came, then the
        # rest of the input, unchanged; the error names the input.
        yield state.buffer + pending
        yield from source
        raise InternalError(
            f"internal error while streaming ({type(exc).__name__}: {exc}); the rest of the "
            "input was passed through unchanged, please report this",
            path=path,
        ) from exc


def _refuse_long_lines(lines_read: int, text: str, limit: int, path: str) -> None:
    """Raise InputError when a line of `text` (whole lines) is longer than `limit`."""
    for number, line in enumerate(_LINE_BREAK_RE.split(text), start=lines_read + 1):
        if len(line) > limit:
            _refuse_long_line(number - 1, [line], iter(()), limit, path)


def _refuse_long_line(
    lines_read: int, start: list[str], rest: Iterator[str], limit: int, path: str
) -> NoReturn:
    """Raise InputError for the line beginning with `start`; read on to its end to count it."""
    length = sum(map(len, start))
    for chunk in rest:
        end = _LINE_BREAK_RE.search(chunk)
        length += len(chunk) if end is None else end.start()
        if end is not None:
            break
    raise InputError(
        f"line {lines_read + 1} is {length:,} characters long (the limit is {limit:,}): not "
        "transcript text as it stands. Split the line, or raise the limit with "
        "--max-line-length",
        path=path,
        line=lines_read + 1,
    )


def _last_line_end(text: str) -> int:
    """Return the offset after the last complete line break (a lone trailing CR may pair)."""
    end = max(text.rfind("\n"), text.rfind("\r", 0, len(text) - 1)) + 1
    return end


def _feed(
    state: _Stream, text: str, fix: bool, on_finding: Callable[[Finding], None], *, final: bool
) -> Iterator[str]:
    offset = state.buffer_start + len(state.buffer)
    state.buffer += text
    breaks = [offset + match.end() for match in _LINE_BREAK_RE.finditer(text)]
    state.line_starts.extend(breaks)
    hashed = state.tokenizer.hash_lines(text)
    state.window.extend(hashed.hashes, hashed.units + state.lines_read + 1)
    state.lines_read += len(breaks)
    hold = _detect(state, fix, on_finding, final=final)
    yield from _emit(state, hold, fix, final=final)


def _detect(
    state: _Stream, fix: bool, on_finding: Callable[[Finding], None], *, final: bool
) -> int:
    """Decide the copies that can no longer grow; return the absolute word index held from."""
    window, config = state.window, state.config
    count = len(window.hashes)
    found = window.seeds(state.settled - window.base)
    end = window.base + count
    hold = end if final else max(end - HOLD, state.settled)
    decided: list[Copy] = []
    for chain in chain_seeds(found):
        if not final and chain.later_end + NGRAM + HOLD > count:
            hold = min(hold, window.base + chain.later_start - MARGIN)  # still growing
            continue
        copy = verify(
            window.hashes,
            chain,
            min_words=config.min_words,
            min_similarity=config.min_similarity,
        )
        if copy is not None:
            decided.append(_shift(trim_to_units(window.lines, copy), window.base))
    # A copy that ends past the hold waits, and so does everything after its start.
    while any(hold < copy.later[1] and copy.later[0] < hold for copy in decided):
        hold = min(copy.later[0] for copy in decided if hold < copy.later[1])
    hold = max(hold, state.settled)
    chosen = [
        copy
        for copy in select(decided, min_words=config.min_words)
        if copy.later[1] <= hold
        and not state.removed.overlaps(copy.first)
        and not state.removed.overlaps(copy.later)  # decided in an earlier pass
    ]
    for copy in chosen:
        finding = _finding(state, copy)
        if finding is None:
            continue
        if fix and any(_touches(edit, state.edits) for edit in finding.edits):
            continue  # its whole-line edit would overlap one already queued: keep the text
        on_finding(finding)
        if fix:
            state.edits.extend(finding.edits)
        state.removed.add(copy.later)
    state.settled = hold
    state.removed.forget(window.base)
    window.trim(state.reach, hold - HOLD)
    return hold


def _touches(edit: Edit, queued: list[Edit]) -> bool:
    """Return True when `edit` overlaps one of the queued edits (the queue is short)."""
    return any(edit.start < other.end and other.start < edit.end for other in queued)


def _shift(copy: Copy, base: int) -> Copy:
    first = (copy.first[0] + base, copy.first[1] + base)
    later = (copy.later[0] + base, copy.later[1] + base)
    return Copy(first, later, copy.similarity)


def _word_offset(state: _Stream, word: int, *, end: bool) -> int | None:
    """Return the absolute offset where word `word` starts (or ends); None if written out."""
    window = state.window
    local = word - window.base
    at = window.lines[local]  # a numpy scalar: a Python int would copy int32 lines to int64
    line = int(at)
    index = local - int(np.searchsorted(window.lines, at))
    line_index = line - state.first_line
    if line_index < 0:
        return None
    line_start = state.line_starts[line_index]
    if line_start < state.buffer_start:
        return None
    stop = state.line_starts[line_index + 1] if line_index + 1 < len(state.line_starts) else None
    relative = line_start - state.buffer_start
    text = state.buffer[relative : None if stop is None else stop - state.buffer_start]
    span = nth_word_span(text, index)
    return None if span is None else line_start + span[1 if end else 0]


def _finding(state: _Stream, copy: Copy) -> Finding | None:
    window = state.window
    start = _word_offset(state, copy.later[0], end=False)
    stop = _word_offset(state, copy.later[1] - 1, end=True)
    if start is None or stop is None:
        return None  # only when a line was cut by an earlier edit; its text is written out
    kept_start = _word_offset(state, copy.first[0], end=False)
    kept_end = _word_offset(state, copy.first[1] - 1, end=True)
    base = state.buffer_start
    kept = None
    if kept_end is not None:  # only its end matters here: the tail it shares, a glued heading
        kept = ((kept_end if kept_start is None else kept_start) - base, kept_end - base)
    local = plain_edits(state.buffer, (start - base, stop - base), kept)
    if any(e.start < 0 for e in local):
        return None
    edits = tuple(Edit(e.start + base, e.end + base, e.replacement) for e in local)
    first_line = int(window.lines[copy.first[0] - window.base])
    last_line = int(window.lines[copy.first[1] - 1 - window.base])
    line = int(window.lines[copy.later[0] - window.base])
    end_line = int(window.lines[copy.later[1] - 1 - window.base])
    where = f"line {first_line}" if first_line == last_line else f"lines {first_line}-{last_line}"
    message, reason = wording(copy.words, where, copy.similarity)
    return Finding(
        rule=RULE,
        severity=Severity.WARNING,
        message=message,
        start=start,
        end=stop,
        line=line,
        column=start - state.line_starts[line - state.first_line] + 1,
        end_line=end_line,
        end_column=stop - state.line_starts[end_line - state.first_line] + 1,
        edits=edits,
        related=Related(state.path, first_line, last_line),
        reason=reason,
    )


def _emit(state: _Stream, hold: int, fix: bool, *, final: bool) -> Iterator[str]:
    """Write out the text before the line of word `hold` and the edits that lie in it."""
    buffer_end = state.buffer_start + len(state.buffer)
    if final:
        point = buffer_end
    else:
        local = hold - state.window.base
        if local >= len(state.window.lines):
            point = state.line_starts[-1]
        else:
            point = state.line_starts[int(state.window.lines[local]) - state.first_line]
        for edit in state.edits:
            if edit.end > point:
                point = min(point, edit.start)
    point = max(point, state.buffer_start)
    ready = [e for e in state.edits if e.end <= point]
    state.edits = [e for e in state.edits if e.end > point]
    text = state.buffer[: point - state.buffer_start]
    if fix and ready:
        base = state.buffer_start
        text = apply_edits(text, [Edit(e.start - base, e.end - base, e.replacement) for e in ready])
    if text:
        yield text
    state.buffer = state.buffer[point - state.buffer_start :]
    state.buffer_start = point
    drop = 0
    while drop + 1 < len(state.line_starts) and state.line_starts[drop + 1] <= point:
        drop += 1
    del state.line_starts[:drop]
    state.first_line += drop
