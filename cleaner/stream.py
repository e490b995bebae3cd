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

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import NoReturn

import numpy as np
import numpy.typing as npt

from cleaner.config import Config
from cleaner.errors import CleanerError, InputError, InternalError
from cleaner.fingerprint import (
    I64,
    NGRAM,
    U64,
    WINDOW,
    Seeds,
    Tokenizer,
    Vocabulary,
    nth_word_span,
    shingles,
    winnow,
)
from cleaner.fix import apply_edits
from cleaner.model import Edit, Finding, Related, Severity
from cleaner.passages import GAP, MARGIN, Copy, chain_seeds, select, verify
from cleaner.removal import plain_edits
from cleaner.rules.duplicates import RULE

HOLD = GAP + NGRAM + WINDOW + MARGIN  # words after the last match that may still extend it
TOKENIZER_CAP = 50_000  # distinct chunks a stream learns before it starts over (~10 MB)
VOCABULARY_CAP = 100_000  # distinct words whose hashes a stream caches (~12 MB)
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
_INT32_MAX = 2**31 - 1
Lines = npt.NDArray[np.int32] | I64


class _Window:
    """The last words read (hashes, absolute line numbers) and their fingerprints.

    Words live in arrays reserved once for the reach and moved to the front when they fill up,
    so a chunk never copies the whole window. Fingerprints are kept sorted by (value, position)
    with absolute positions, so the seeds of the newest words are found by bisection, never
    by sorting the whole reach again; the last few, which the next words may still change,
    wait apart (`tail_*`) until they are final.
    """

    __slots__ = (
        "_hashes",
        "_lines",
        "base",
        "count",
        "fp_positions",
        "fp_values",
        "start",
        "tail_positions",
        "tail_values",
    )

    def __init__(self, capacity: int = 0) -> None:
        self.base = 0  # absolute index of the first word held
        self.start = 0  # where that word is in the arrays
        self.count = 0  # words held
        # np.empty touches no page: memory grows with the words held, not with the capacity.
        self._hashes: U64 = np.empty(capacity, dtype=np.uint64)
        # Line numbers as int32 while they fit (a quarter of the window's memory), int64 after.
        self._lines: Lines = np.empty(capacity, dtype=np.int32)
        self.fp_values: U64 = np.zeros(0, dtype=np.uint64)  # final, sorted by (value, position)
        self.fp_positions: I64 = np.zeros(0, dtype=np.int64)
        self.tail_values: U64 = np.zeros(0, dtype=np.uint64)  # not final yet, by position
        self.tail_positions: I64 = np.zeros(0, dtype=np.int64)

    @property
    def hashes(self) -> U64:
        """Return the hashes of the words held (a view)."""
        return self._hashes[self.start : self.start + self.count]

    @property
    def lines(self) -> Lines:
        """Return the line numbers of the words held (a view)."""
        return self._lines[self.start : self.start + self.count]

    def extend(self, hashes: U64, lines: I64) -> None:
        """Add words and refresh the fingerprints their shingles and windows touch."""
        old = self.count
        self._reserve(len(hashes))
        end = self.start + old
        if len(lines) and self._lines.dtype == np.int32 and int(lines[-1]) > _INT32_MAX:
            self._lines = self._lines.astype(np.int64)  # past two billion lines
        self._hashes[end : end + len(hashes)] = hashes
        self._lines[end : end + len(hashes)] = lines
        self.count += len(hashes)
        # Fingerprints from `settled` on were computed without the words just added.
        settled = max(old - 2 * (NGRAM + WINDOW), 0)
        first = max(settled - WINDOW, 0)
        values = shingles(self.hashes[first:])
        picked = winnow(values) + first
        picked = picked[picked >= settled] if settled > 0 else picked
        final = max(self.count - 2 * (NGRAM + WINDOW), 0)
        done = picked < final
        self._merge(values[picked[done] - first], picked[done] + self.base)
        self.tail_values = values[picked[~done] - first]
        self.tail_positions = picked[~done] + self.base

    def seeds(self, later_from: int) -> Seeds:
        """Return `fingerprint.seeds` over the window for later positions >= `later_from`.

        Word positions are local (0 is the first word held), as `verify` reads them.
        """
        values, positions = self.fp_values, self.fp_positions
        at = np.flatnonzero(positions >= later_from + self.base)
        group = np.searchsorted(values, values[at], side="left")
        rank = at - group  # occurrences of the same value before this one
        firsts = [positions[at[rank > 0] - 1], positions[group[rank > 1]]]
        laters = [positions[at[rank > 0]], positions[at[rank > 1]]]
        tail = self.tail_positions >= later_from + self.base
        if tail.any():
            # The tail comes after every final fingerprint, so a tail value's earlier
            # occurrences are the final ones of that value, then the tail's own.
            t_values, t_positions = self.tail_values, self.tail_positions
            order = np.lexsort((t_positions, t_values))
            t_values, t_positions, tail = t_values[order], t_positions[order], tail[order]
            low = np.searchsorted(values, t_values, side="left")
            high = np.searchsorted(values, t_values, side="right")
            index = np.arange(len(t_values))
            same = np.r_[False, t_values[1:] == t_values[:-1]]
            own = index - np.maximum.accumulate(np.where(same, 0, index))
            rank_t = (high - low) + own
            last_final = _take(positions, high - 1)  # read only where high > low
            before = np.where(own > 0, t_positions[index - 1], last_final)
            head = np.where(high > low, _take(positions, low), t_positions[index - own])
            firsts += [before[tail & (rank_t > 0)], head[tail & (rank_t > 1)]]
            laters += [t_positions[tail & (rank_t > 0)], t_positions[tail & (rank_t > 1)]]
        return Seeds(np.concatenate(firsts) - self.base, np.concatenate(laters) - self.base)

    def trim(self, reach: int, floor: int) -> None:
        """Forget words beyond `reach`, never those from absolute index `floor` on."""
        cut = min(self.count - reach, floor - self.base)
        if cut <= 0:
            return
        self.base += cut
        self.start += cut
        self.count -= cut
        keep = self.fp_positions >= self.base
        if not keep.all():
            self.fp_values = self.fp_values[keep]
            self.fp_positions = self.fp_positions[keep]

    def _reserve(self, extra: int) -> None:
        """Make room for `extra` more words after those held."""
        capacity = len(self._hashes)
        if self.start + self.count + extra <= capacity:
            return
        if self.count + extra <= capacity:  # move the words held to the front (memmove)
            self._hashes[: self.count] = self.hashes
            self._lines[: self.count] = self.lines
            self.start = 0
            return
        # More than the reach is held (an open match) or one chunk is huge: grow.
        size = self.count + extra + max(capacity // 4, extra)
        hashes, lines = np.empty(size, dtype=np.uint64), np.empty(size, dtype=self._lines.dtype)
        hashes[: self.count] = self.hashes
        lines[: self.count] = self.lines
        self._hashes, self._lines, self.start = hashes, lines, 0

    def _merge(self, values: U64, positions: I64) -> None:
        """Add final fingerprints, all after those held, keeping the (value, position) order."""
        if len(values) == 0:
            return
        order = np.lexsort((positions, values))
        values, positions = values[order], positions[order]
        at = np.searchsorted(self.fp_values, values, side="right")
        self.fp_values = np.insert(self.fp_values, at, values)
        self.fp_positions = np.insert(self.fp_positions, at, positions)


def _take(array: I64, index: I64) -> I64:
    """Return `array[index]` with indices out of range read as 0 (they are masked out)."""
    if len(array) == 0:
        return np.zeros(len(index), dtype=np.int64)
    return array[np.clip(index, 0, len(array) - 1)]


class _Ranges:
    """Word ranges sorted by start, with the furthest end so far, for overlap tests by bisection.

    A stream removes thousands of copies within its reach; testing each new one against all
    of them was the slowest part of a long stream.
    """

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ranges: list[tuple[int, int]] = []
        self.reach: list[int] = []  # reach[i]: the largest end among ranges[: i + 1]

    def overlaps(self, span: tuple[int, int]) -> bool:
        """Return True when `span` overlaps one of the ranges."""
        before = bisect.bisect_left(self.starts, span[1])  # ranges that start before it ends
        return before > 0 and self.reach[before - 1] > span[0]

    def add(self, span: tuple[int, int]) -> None:
        """Add a range (at the end, nearly always: copies are decided in order)."""
        at = bisect.bisect_right(self.starts, span[0])
        self.starts.insert(at, span[0])
        self.ranges.insert(at, span)
        self._refresh(at)

    def forget(self, before: int) -> None:
        """Drop the ranges that end at or before word `before`: nothing later reaches them."""
        self.ranges = [r for r in self.ranges if r[1] > before]
        self.starts = [r[0] for r in self.ranges]
        self._refresh(0)

    def _refresh(self, start: int) -> None:
        del self.reach[start:]
        furthest = self.reach[-1] if self.reach else -1
        for _, end in self.ranges[start:]:
            furthest = max(furthest, end)
            self.reach.append(furthest)


@dataclass(slots=True)
class _Stream:
    """What a running stream holds between chunks."""

    config: Config
    path: str
    reach: int
    window: _Window
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
    removed: _Ranges = field(default_factory=lambda: _Ranges())  # later copies, absolute words


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
    state = _Stream(config, path, reach, _Window(reach + reach // 8))
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
            decided.append(_shift(_trim(window.lines, copy), window.base))
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


def _trim(lines: Lines, copy: Copy) -> Copy:
    """Drop the few words a copy reaches into the next (or previous) line by chance.

    As `rules.duplicates` does per segment: past a copy's end both sides may go on with an
    equal word (the `Ann` of two `Ann:` labels), and the copy would cut a line that should stay
    whole. Only a fragment under NGRAM words, on both sides, goes.
    """
    tail = min(_tail(lines, copy.first), _tail(lines, copy.later))
    head = min(_head(lines, copy.first), _head(lines, copy.later))
    if not head and not tail:
        return copy
    first = (copy.first[0] + head, copy.first[1] - tail)
    later = (copy.later[0] + head, copy.later[1] - tail)
    return Copy(first, later, copy.similarity)


def _tail(lines: Lines, run: tuple[int, int]) -> int:
    """Words of `run` on a last line it begins but does not finish, if under NGRAM."""
    line = lines[run[1] - 1]
    start = int(np.searchsorted(lines, line, side="left"))
    inside = run[1] - start
    if start <= run[0] or inside >= NGRAM or int(np.searchsorted(lines, line, "right")) <= run[1]:
        return 0
    return inside


def _head(lines: Lines, run: tuple[int, int]) -> int:
    """Words of `run` on a first line it ends but does not start, if under NGRAM."""
    line = lines[run[0]]
    end = int(np.searchsorted(lines, line, side="right"))
    inside = end - run[0]
    if end >= run[1] or inside >= NGRAM or int(np.searchsorted(lines, line, "left")) >= run[0]:
        return 0
    return inside


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
    percent = int(copy.similarity * 100 + 1e-9)
    return Finding(
        rule=RULE,
        severity=Severity.WARNING,
        message=f"passage of {copy.words:,} words repeats {where} ({percent}% similar)",
        start=start,
        end=stop,
        line=line,
        column=start - state.line_starts[line - state.first_line] + 1,
        end_line=end_line,
        end_column=stop - state.line_starts[end_line - state.first_line] + 1,
        edits=edits,
        related=Related(state.path, first_line, last_line),
        reason=f"the same passage is kept at {where}; this later copy is removed",
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
