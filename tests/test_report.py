"""The reporter: every renderer prints transcript text as written, carets, summary, progress."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest
from rich.console import Console, Group

from cleaner.engine import FileResult
from cleaner.errors import InputError
from cleaner.fix import apply_fixes
from cleaner.model import Document, Edit, Finding, Severity
from cleaner.report import FORMATS, Reporter
from cleaner.rules import RuleInfo

MARKUP = ["[laughter]", "[/inaudible]", "[00:01:23]", "[bold]x[/bold]", ":smile:"]
SOURCE = "Intro [laughter] here.\nThen [/inaudible] and [00:01:23] with Cloud Code.\n"
DOC = Document("ep[1].txt", SOURCE, "plain", ())


def _console() -> Console:
    return Console(record=True, width=100, color_system=None, file=io.StringIO())


def _reporter(output_format: str, *, color: bool | None = None) -> tuple[Reporter, io.StringIO]:
    out = io.StringIO()
    reporter = Reporter(
        output_format,
        out=out,
        err=io.StringIO(),
        color=color,
        console=_console(),
        err_console=_console(),
        clock=iter([10.0, 12.5]).__next__,
    )
    return reporter, out


def _rendered(reporter: Reporter, out: io.StringIO) -> str:
    reporter.close()
    return out.getvalue() + reporter.console.export_text() + reporter.err_console.export_text()


def _findings() -> list[Finding]:
    at = SOURCE.index("Cloud")
    return [
        DOC.finding("glossary-term", Severity.WARNING, f"said {text}", 6, 16) for text in MARKUP
    ] + [
        DOC.finding(
            "glossary-term",
            Severity.WARNING,
            "“Cloud Code” [laughter]",
            at,
            at + 10,
            edits=[Edit(at, at + 5, "Claude")],
            reason="glossary says [Claude Code] :smile:",
        )
    ]


@pytest.mark.parametrize("output_format", FORMATS)
def test_findings_print_markup_as_written(output_format: str) -> None:
    reporter, out = _reporter(output_format)
    reporter.findings(FileResult(DOC.path, "plain", tuple(_findings())), source=SOURCE)
    text = _rendered(reporter, out)
    if output_format in ("json", "sarif"):
        text = json.dumps(json.loads(text), ensure_ascii=False)
    for written in MARKUP:
        assert f"said {written}" in text, (output_format, written)
    assert "ep[1].txt" in text or "ep%5B1%5D.txt" in text


def _fixed_result() -> FileResult:
    findings = _findings()
    fixed = apply_fixes(SOURCE, [findings[-1]])
    return FileResult(DOC.path, "plain", (), (findings[-1],), True, original=SOURCE, fixed=fixed)


@pytest.mark.parametrize("color", [True, False])
def test_diff_prints_markup_as_written(color: bool) -> None:
    reporter, out = _reporter("rich", color=color)
    reporter.diff(_fixed_result())
    text = _rendered(reporter, out)
    for written in ("[/inaudible]", "[00:01:23]", "[laughter]"):
        assert written in text
    assert "Claude Code" in text


def test_explain_and_rule_docs_print_markup_as_written() -> None:
    reporter, out = _reporter("rich")
    reporter.explain(_fixed_result())
    info = RuleInfo(
        "demo-rule",
        "Finds [laughter].",
        "safe",
        "Explains [/inaudible] and [bold]x[/bold].",
        must_flag=("flag [00:01:23]\n",),
        must_not_flag=("keep :smile:\n",),
    )
    reporter.rule(info)
    reporter.rules([info])
    reporter.error(FileResult("a[1].txt", error=InputError("bad [/inaudible]", path="a[1].txt")))
    text = _rendered(reporter, out)
    for written in (
        "glossary says [Claude Code] :smile:",
        "Finds [laughter].",
        "Explains [/inaudible] and [bold]x[/bold].",
        "    flag [00:01:23]",
        "    keep :smile:",
        "error: a[1].txt: bad [/inaudible]",
    ):
        assert written in text


def test_rich_findings_quote_the_line_with_a_caret() -> None:
    reporter, _ = _reporter("rich")
    reporter.findings(FileResult(DOC.path, "plain", (_findings()[-1],)), source=SOURCE)
    lines = reporter.console.export_text().splitlines()
    quoted = next(i for i, line in enumerate(lines) if "│ Then" in line)
    caret = lines[quoted + 1]
    column = lines[quoted].index("Cloud")
    assert caret.index("^") == column
    assert caret.count("^") == len("Cloud Code")


@pytest.mark.parametrize(
    ("line", "span", "expected_under"),
    [
        ("漢字 Cloud Code end\n", "Cloud Code", "Cloud Code"),  # wide characters before
        ("a\tb Cloud Code\n", "Cloud Code", "Cloud Code"),  # a tab shown as one space
        ("x" * 300 + " Cloud Code " + "y" * 300 + "\n", "Cloud Code", "Cloud Code"),
    ],
)
def test_caret_sits_under_the_span(line: str, span: str, expected_under: str) -> None:
    doc = Document("t.txt", line, "plain", ())
    at = line.index(span)
    finding = doc.finding("glossary-term", Severity.WARNING, "m", at, at + len(span))
    reporter, _ = _reporter("rich")
    reporter.findings(FileResult("t.txt", "plain", (finding,)), source=line)
    rows = reporter.console.export_text().splitlines()
    quoted, caret = rows[2], rows[3]
    start = caret.index("^")
    # Compare by terminal cells: the wide characters take two each.
    from rich.cells import cell_len

    cells = "".join(ch if cell_len(ch) == 1 else ch + "\0" for ch in quoted)
    under = cells[start : start + caret.count("^")].replace("\0", "")
    assert under == expected_under
    assert len(quoted) <= 100


def test_summary_counts_rules_files_and_time() -> None:
    reporter, out = _reporter("rich")
    reporter.findings(FileResult(DOC.path, "plain", tuple(_findings())), source=SOURCE)
    reporter.findings(FileResult("b.txt", "plain", ()))
    text = _rendered(reporter, out)
    assert "glossary-term         6        1" in text
    assert "2 files, 6 findings (1 fixable); 2.50 s" in text


def test_summary_of_fixes() -> None:
    reporter, out = _reporter("rich", color=True)
    reporter.diff(_fixed_result())
    text = _rendered(reporter, out)
    assert "1 file, 1 fix applied in 1 file, 0 findings remaining; 2.50 s" in text


def test_plain_diff_has_no_summary_after_it() -> None:
    reporter, out = _reporter("rich", color=False)
    reporter.diff(_fixed_result())
    reporter.close()
    assert out.getvalue().startswith("--- a/ep[1].txt\n+++ b/ep[1].txt\n@@ -1,2 +1,2 @@\n")
    assert reporter.console.export_text() == ""


@pytest.mark.parametrize("output_format", ["text", "jsonl", "github"])
def test_streaming_formats_write_per_file_in_order(output_format: str) -> None:
    reporter, out = _reporter(output_format)
    first = DOC.finding("glossary-term", Severity.WARNING, "one", 0, 5)
    second = DOC.finding("glossary-term", Severity.WARNING, "two", 0, 5)
    reporter.findings(FileResult("a.txt", "plain", (first,)))
    written = out.getvalue()
    reporter.findings(FileResult("b.txt", "plain", (second,)))
    reporter.close()
    assert "one" in written and "two" not in written
    assert out.getvalue().index("a.txt") < out.getvalue().index("b.txt")


def test_json_writes_one_array_at_close() -> None:
    reporter, out = _reporter("json")
    reporter.findings(FileResult("a.txt", "plain", tuple(_findings()[:2])))
    assert out.getvalue() == ""
    reporter.close()
    assert [r["message"] for r in json.loads(out.getvalue())] == [
        "said [laughter]",
        "said [/inaudible]",
    ]


def test_progress_is_a_no_op_off_a_terminal() -> None:
    reporter, _ = _reporter("text")
    with reporter.progress(2, 2000) as bar:
        bar.advance(1000)
        bar.advance(1000)
    assert reporter.err_console.export_text() == ""


def test_progress_draws_files_on_a_terminal() -> None:
    err = Console(record=True, width=100, force_terminal=True, file=io.StringIO())
    reporter = Reporter("rich", out=io.StringIO(), err=io.StringIO(), err_console=err)
    seen: Iterator[int] = iter(range(3))
    with reporter.progress(3, 3_000_000) as bar:
        for _ in seen:
            bar.advance(1_000_000)
        drawn = err.file.getvalue()  # type: ignore[attr-defined]
    assert "files" in drawn


def test_changed_words_are_highlighted_in_the_rich_diff() -> None:
    reporter, _ = _reporter("rich", color=True)
    console = Console(width=100, color_system="truecolor", file=io.StringIO())
    reporter.console = console
    reporter.diff(_fixed_result())
    segments = [
        (segment.text, segment.style)
        for line in console.render_lines(_hunks_of(reporter), pad=False)
        for segment in line
        if segment.text in ("Cloud", "Claude")
    ]
    assert [(text, bool(style and style.bold and style.bgcolor)) for text, style in segments] == [
        ("Cloud", True),
        ("Claude", True),
    ]


def _hunks_of(reporter: Reporter) -> Group:
    from cleaner.diffing import diff_hunks
    from cleaner.report import _hunk_table

    result = _fixed_result()
    assert result.original is not None and result.fixed is not None
    return Group(*(_hunk_table(h) for h in diff_hunks(result.original, result.fixed)))


def test_summary_of_a_clean_run_is_one_line() -> None:
    reporter, out = _reporter("rich")
    reporter.findings(FileResult("a.txt", "plain", ()))
    assert _rendered(reporter, out) == "1 file, 0 findings (0 fixable); 2.50 s\n"


@pytest.mark.parametrize("output_format", ["rich", "text"])
def test_explain_finding_prints_the_line_explain_prints(output_format: str) -> None:
    # A stream explains each fix as it is applied; a file read whole, all at once: same lines.
    result = _fixed_result()
    whole, whole_out = _reporter(output_format)
    whole.explain(result)
    one, one_out = _reporter(output_format)
    for finding in result.applied:
        one.explain_finding(result.path, finding)
    text = _rendered(one, one_out)
    assert text == _rendered(whole, whole_out)
    assert "ep[1].txt:2:39: glossary-term glossary says [Claude Code] :smile:" in text


@pytest.mark.parametrize("via", ["findings", "diff"])
def test_summary_counts_fixes_a_stream_only_counted(via: str) -> None:
    reporter, out = _reporter("rich")
    streamed = FileResult(
        "<stdin>", "plain", changed=True, streamed=True, fixed_counts=(("duplicate-passage", 3),)
    )
    getattr(reporter, via)(streamed)
    reporter.findings(FileResult("b.txt", "plain"))
    text = _rendered(reporter, out)
    assert "duplicate-passage      3          0" in text
    assert "2 files, 3 fixes applied in 1 file, 0 findings remaining; 2.50 s" in text
