"""Wire formats, rules and fixes together for one text or one file.

The engine never prints and never exits: it returns results as data, errors included, so one bad
file never stops a batch.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from cleaner import formats
from cleaner.config import Config
from cleaner.errors import CleanerError, InputError, InternalError
from cleaner.files import encode, read_file, write_atomic
from cleaner.fix import apply_fixes, select_fixes
from cleaner.model import Document, Finding, LineIndex
from cleaner.rules import checkers, fulltext, wordtimes

# Each pass re-checks the fixed text; conflicting fixes settle in a few passes, and a rule
# that keeps proposing edits forever cannot hang a run.
MAX_FIX_PASSES = 8


def parse(text: str, *, path: str = "<text>", config: Config | None = None) -> Document:
    """Read `text` with the configured or sniffed format into a Document."""
    config = config or Config()
    name = config.input_format or formats.sniff(path, text)
    if name != "json":  # minified JSON is one long line by design
        _refuse_long_lines(text, path, config.max_line_length)
    parsed = formats.reader(name).parse(text)
    return Document(path, text, name, parsed.segments, problems=parsed.problems)


def _refuse_long_lines(text: str, path: str, limit: int) -> None:
    """Raise InputError for a line longer than `limit` characters, naming it."""
    if len(text) <= limit:
        return  # no line can be longer than the text: the common case costs nothing
    if "\r" not in text and not _has_long_line(text, limit):
        return  # a few C-level scans answer for the common line ending
    starts = np.array((*LineIndex.of(text).starts, len(text)), dtype=np.int64)
    lengths = np.diff(starts)
    longest = int(lengths.argmax())
    if lengths[longest] > limit:
        raise InputError(
            f"line {longest + 1} is {int(lengths[longest]):,} characters long (the limit is "
            f"{limit:,}): not transcript text as it stands; nothing was changed. Split the "
            "line, or raise the limit with --max-line-length",
            path=path,
            line=longest + 1,
        )


def _has_long_line(text: str, limit: int) -> bool:
    """Return True when a line of `text` (which has no \\r) is longer than `limit` characters."""
    # Jump from line break to line break, each time to the last one within `limit + 1`
    # characters: the lines jumped over fit, and a window with no break holds a longer line.
    # A text of n characters takes about n / limit searches, not a string per line.
    start = 0
    while len(text) - start > limit:
        last = text.rfind("\n", start, start + limit + 1)
        if last < 0:
            return True
        start = last + 1
    return False


def check_document(doc: Document, config: Config) -> list[Finding]:
    """Run every enabled rule over `doc`; findings come back in source order."""
    found = [
        finding
        for check in checkers(config)
        for finding in check(doc, config)
        if config.enabled(finding.rule)
    ]
    found.sort(key=lambda f: (f.start, f.end, f.rule))
    return found


@dataclass(frozen=True, slots=True)
class FixOutcome:
    """The fixed text, the findings whose edits were applied (in order), and what remains."""

    text: str
    applied: tuple[Finding, ...]
    remaining: tuple[Finding, ...]

    def changed(self, original: str) -> bool:
        """Return True when fixing changed the text."""
        return self.text != original


def fix_document(doc: Document, config: Config) -> FixOutcome:
    """Apply fixes pass after pass until nothing more applies."""
    applied: list[Finding] = []
    current = doc
    findings = check_document(current, config)
    for _ in range(MAX_FIX_PASSES):
        chosen = select_fixes(findings, unsafe=config.unsafe_fixes)
        if not chosen:
            break
        text = apply_fixes(current.text, chosen)
        if text == current.text:
            break
        applied.extend(chosen)
        current = parse(text, path=doc.path, config=config.replace(input_format=doc.format))
        findings = check_document(current, config)
    # Derived data follows the segments once they are final: Whisper's top-level text and its
    # per-word timings (the two rewrite disjoint parts of the file).
    resyncs = (fulltext.resync, wordtimes.resync) if current is not doc else ()
    synced = [found for resync in resyncs if (found := resync(doc, current, config)) is not None]
    if synced:
        applied.extend(synced)
        text = apply_fixes(current.text, synced)
        current = parse(text, path=doc.path, config=config.replace(input_format=doc.format))
        findings = check_document(current, config)
    return FixOutcome(current.text, tuple(applied), tuple(findings))


@dataclass(frozen=True, slots=True)
class FileResult:
    """What happened to one file: findings, fixes, sizes, or the error that stopped it."""

    path: str
    format: str | None = None
    findings: tuple[Finding, ...] = ()
    applied: tuple[Finding, ...] = ()
    changed: bool = False
    bytes_before: int = 0
    bytes_after: int = 0
    error: CleanerError | None = None
    original: str | None = None  # kept only when a diff is wanted
    fixed: str | None = None
    streamed: bool = False  # went through `cleaner.stream`: duplicate-passage alone
    # Findings handed out as they came (a stream's `on_finding`) instead of kept in `findings`:
    # how many of each rule, sorted by rule.
    reported: tuple[tuple[str, int], ...] = ()
    # Fixes handed out as they were applied (a fixed stream's callback) instead of kept in
    # `applied`: how many of each rule, sorted by rule.
    fixed_counts: tuple[tuple[str, int], ...] = ()

    def found_by_rule(self) -> Counter[str]:
        """Return how many findings of each rule: those kept and those handed out."""
        found = Counter(finding.rule for finding in self.findings)
        found.update(dict(self.reported))
        return found

    def fixed_by_rule(self) -> Counter[str]:
        """Return how many fixes of each rule were applied: those kept and those handed out."""
        fixed = Counter(finding.rule for finding in self.applied)
        fixed.update(dict(self.fixed_counts))
        return fixed


def process_text(
    text: str, *, path: str, config: Config, fix: bool, keep_text: bool = False
) -> tuple[FileResult, str]:
    """Check or fix `text`; return the result and the (possibly fixed) text."""
    doc = parse(text, path=path, config=config)
    if not fix:
        findings = tuple(check_document(doc, config))
        return FileResult(path, doc.format, findings), text
    outcome = fix_document(doc, config)
    changed = outcome.changed(text)
    result = FileResult(
        path,
        doc.format,
        outcome.remaining,
        outcome.applied,
        changed,
        original=text if keep_text else None,
        fixed=outcome.text if keep_text else None,
    )
    return result, outcome.text


def process_file(
    path: Path, config: Config, *, fix: bool, write: bool = True, keep_text: bool = False
) -> FileResult:
    """Check or fix one file; write it back atomically when fixing changed it and `write`."""
    name = str(path)
    try:
        decoded = read_file(path, encoding=config.encoding)
        result, fixed = process_text(
            decoded.text, path=name, config=config, fix=fix, keep_text=keep_text
        )
        before = len(encode(decoded.text, decoded))
        after = before
        if result.changed:
            data = encode(fixed, decoded)
            after = len(data)
            if write:
                write_atomic(path, data, follow_symlinks=True)
        return replace(result, bytes_before=before, bytes_after=after)
    except CleanerError as error:
        return FileResult(name, error=error)
    except Exception as exc:  # one file's bug must not stop a batch
        return FileResult(name, error=internal_error(name, exc))


def internal_error(path: str, exc: BaseException) -> InternalError:
    """Wrap an unexpected exception as an error that names the file (it was left untouched)."""
    return InternalError(
        f"internal error ({type(exc).__name__}: {exc}); the file was left untouched, "
        "please report this with the file if you can",
        path=path,
    )


def iter_files(paths: list[Path], config: Config, *, fix: bool) -> Iterator[FileResult]:
    """Process files one after another, in the order given."""
    for path in paths:
        yield process_file(path, config, fix=fix)
