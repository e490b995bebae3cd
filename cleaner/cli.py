"""The `cleaner` command; the only module that imports typer.

It parses options, builds the configuration, runs the engine and hands results to the reporter.
Exit codes, like black and pre-commit-hooks: 0 nothing to report, 1 findings or files changed,
2 usage or input errors (every other file is still processed).
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from cleaner import __version__, batch, runtime
from cleaner.config import Config, find_config, load_config
from cleaner.discover import discover
from cleaner.engine import FileResult
from cleaner.errors import CleanerError
from cleaner.files import read_file
from cleaner.formats import FORMAT_NAMES
from cleaner.glossary import load as load_glossary
from cleaner.largefiles import clean_files, file_note
from cleaner.model import Finding
from cleaner.pipes import LARGE_BYTES, check_stream, fix_stream
from cleaner.report import FORMATS, Reporter
from cleaner.rules import all_rules

app = typer.Typer(
    name="cleaner",
    help="Clean transcripts before publishing: duplicated passages, mis-heard terms, timestamps.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

PathsArg = Annotated[
    list[str], typer.Argument(help="Files to read; `-` reads standard input.", show_default=False)
]
FormatOpt = Annotated[
    str | None,
    typer.Option("--format", help=f"Output: {', '.join(FORMATS)} (rich on a terminal)."),
]
InputFormatOpt = Annotated[
    str | None,
    typer.Option("--input-format", help=f"Read as {', '.join(FORMAT_NAMES)} (default: sniff)."),
]
EncodingOpt = Annotated[
    str | None, typer.Option(help="Text encoding when there is no BOM (default utf-8).")
]
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", help="A .cleaner.toml or pyproject.toml to use.")
]
SelectOpt = Annotated[
    list[str] | None, typer.Option("--select", help="Only these rule ids (repeatable).")
]
IgnoreOpt = Annotated[list[str] | None, typer.Option("--ignore", help="Skip these rule ids.")]
ColorOpt = Annotated[str, typer.Option("--color", help="auto, always or never.")]
ExitZeroOpt = Annotated[
    bool, typer.Option("--exit-zero", help="Exit 0 even when there are findings or changes.")
]
KeepOpt = Annotated[
    str | None, typer.Option("--keep", help="Which copy of a duplicate to keep: first or last.")
]
MinWordsOpt = Annotated[
    int | None,
    typer.Option("--min-words", min=1, help="Shortest passage that counts as a duplicate (40)."),
]
MinSimilarityOpt = Annotated[
    float | None,
    typer.Option("--min-similarity", min=0.01, max=1.0, help="How alike a near copy is (0.8)."),
]
GlossaryOpt = Annotated[
    list[Path] | None, typer.Option("--glossary", help="A glossary TOML file (repeatable).")
]
NoBuiltinGlossaryOpt = Annotated[
    bool, typer.Option("--no-builtin-glossary", help="Do not use the built-in glossary.")
]
TimestampToleranceOpt = Annotated[
    int | None,
    typer.Option("--timestamp-tolerance", min=0, help="Ms a start may go back unreported (0)."),
]
OverlapToleranceOpt = Annotated[
    int | None,
    typer.Option("--overlap-tolerance", min=0, help="Ms a cue may overlap the next (50)."),
]
NoInlineTimestampsOpt = Annotated[
    bool,
    typer.Option("--no-inline-timestamps", help="Do not check times cited inside text."),
]
NoTimestampsForOpt = Annotated[
    list[str] | None,
    typer.Option("--no-timestamps-for", help="Skip timestamp checks for a format (repeatable)."),
]
FullDiffOpt = Annotated[
    bool, typer.Option("--full-diff", help="Like --diff, with removed duplicates expanded.")
]
ContextOpt = Annotated[
    int, typer.Option("--context", min=0, help="Unchanged lines around each change in a diff.")
]
ExplainOpt = Annotated[
    bool, typer.Option("--explain", help="List each applied edit with its rule and reason.")
]
MaxLineOpt = Annotated[
    int | None,
    typer.Option("--max-line-length", min=1, help="Refuse lines longer than this (4 MiB)."),
]
StdinNameOpt = Annotated[
    str | None, typer.Option("--stdin-filename", help="Name for `-` in reports and sniffing.")
]
JobsOpt = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=1, help="Worker processes for many files (default: CPUs)."),
]
IncludeOpt = Annotated[
    list[str] | None,
    typer.Option("--include", help="Glob of files to take from folders (repeatable)."),
]
ExcludeOpt = Annotated[
    list[str] | None, typer.Option("--exclude", help="Glob of files or folders to skip.")
]
ReportOpt = Annotated[
    Path | None, typer.Option("--report", help="Write a JSON summary of the run to this file.")
]
NoCrossFileOpt = Annotated[
    bool,
    typer.Option("--no-cross-file", help="Do not compare files with each other (duplicates)."),
]
OutOpt = Annotated[
    Path | None,
    typer.Option("--out", help="Write cleaned copies under this folder, mirroring the input."),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cleaner {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show version.")
    ] = False,
) -> None:
    """Clean transcripts before publishing."""


def _build_config(config_path: Path | None, **flags: Any) -> Config:
    """Defaults, then the nearest config file (or --config), then flags that were given."""
    config = Config()
    found = config_path or find_config(Path.cwd())
    if found is not None:
        config = load_config(found, config)
    input_format = flags.get("input_format")
    if input_format is not None and input_format not in FORMAT_NAMES:
        raise typer.BadParameter(
            f"{input_format!r} is not one of {', '.join(FORMAT_NAMES)}", param_hint="--input-format"
        )
    for name in ("select", "ignore", "timestamp_formats"):
        if flags.get(name) is not None:
            flags[name] = frozenset(flags[name])
    if flags.get("timestamp_formats") is not None:
        flags["timestamp_formats"] = config.timestamp_formats - flags["timestamp_formats"]
    if flags.get("glossary_files") is not None:
        flags["glossary_files"] = (*config.glossary_files, *flags["glossary_files"])
    if flags.get("keep") not in (None, "first", "last"):
        raise typer.BadParameter("choose first or last", param_hint="--keep")
    config = config.replace(**flags)
    # A broken glossary is a usage error: say so once, before any file is read.
    load_glossary(config)
    return config


def _output_format(requested: str | None) -> str:
    if requested is None:
        return "rich" if sys.stdout.isatty() else "text"
    if requested not in FORMATS:
        raise typer.BadParameter(f"{requested!r} is not one of {', '.join(FORMATS)}")
    return requested


def _color(choice: str) -> bool | None:
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return True if choice == "always" else None


def _exit_code(results: list[FileResult], *, exit_zero: bool) -> int:
    if any(r.error for r in results):
        return EXIT_ERROR
    if not exit_zero and any(r.findings or r.reported or r.changed for r in results):
        return EXIT_FINDINGS
    return EXIT_CLEAN


@app.command()
def check(
    ctx: typer.Context,
    paths: PathsArg,
    output_format: FormatOpt = None,
    input_format: InputFormatOpt = None,
    encoding: EncodingOpt = None,
    config_path: ConfigOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    color: ColorOpt = "auto",
    stdin_filename: StdinNameOpt = None,
    exit_zero: ExitZeroOpt = False,
    keep: KeepOpt = None,
    min_words: MinWordsOpt = None,
    min_similarity: MinSimilarityOpt = None,
    glossary: GlossaryOpt = None,
    no_builtin_glossary: NoBuiltinGlossaryOpt = False,
    timestamp_tolerance: TimestampToleranceOpt = None,
    overlap_tolerance: OverlapToleranceOpt = None,
    no_inline_timestamps: NoInlineTimestampsOpt = False,
    no_timestamps_for: NoTimestampsForOpt = None,
    max_line_length: MaxLineOpt = None,
    jobs: JobsOpt = None,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    report: ReportOpt = None,
    no_cross_file: NoCrossFileOpt = False,
) -> None:
    """Report findings; change nothing. Folders are searched for transcripts."""
    config = _config_from(ctx)
    reporter = Reporter(
        _output_format(output_format), out=sys.stdout, err=sys.stderr, color=_color(color)
    )
    results: list[FileResult] = []
    for _ in [raw for raw in paths if raw == "-"]:
        name = stdin_filename or "<stdin>"
        source: str | None = None
        # Streamed findings are reported as they come, so a long stream keeps none of them.
        result, source, note = check_stream(
            sys.stdin.buffer,
            config,
            name=name,
            on_finding=functools.partial(reporter.finding, name),
        )
        _note(note)
        _report(reporter, result, source)
        results.append(result)
    files = [raw for raw in paths if raw != "-"]
    for result in _batch(files, config, batch.Options(jobs=jobs or 0), reporter):
        _note(file_note(config, result))
        _report(reporter, result, _source_to_quote(reporter, result, config))
        results.append(result)
    reporter.close()
    raise typer.Exit(_finish(results, report, "check", exit_zero=exit_zero))


@app.command()
def fix(
    ctx: typer.Context,
    paths: PathsArg,
    diff: Annotated[bool, typer.Option("--diff", help="Show the changes; write nothing.")] = False,
    full_diff: FullDiffOpt = False,
    context: ContextOpt = 3,
    explain: ExplainOpt = False,
    stdout: Annotated[
        bool, typer.Option("--stdout", help="Write cleaned text to stdout, not in place.")
    ] = False,
    unsafe_fixes: Annotated[
        bool, typer.Option("--unsafe-fixes", help="Also apply fixes marked unsafe.")
    ] = False,
    output_format: FormatOpt = None,
    input_format: InputFormatOpt = None,
    encoding: EncodingOpt = None,
    config_path: ConfigOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    color: ColorOpt = "auto",
    stdin_filename: StdinNameOpt = None,
    exit_zero: ExitZeroOpt = False,
    keep: KeepOpt = None,
    min_words: MinWordsOpt = None,
    min_similarity: MinSimilarityOpt = None,
    glossary: GlossaryOpt = None,
    no_builtin_glossary: NoBuiltinGlossaryOpt = False,
    timestamp_tolerance: TimestampToleranceOpt = None,
    overlap_tolerance: OverlapToleranceOpt = None,
    no_inline_timestamps: NoInlineTimestampsOpt = False,
    no_timestamps_for: NoTimestampsForOpt = None,
    max_line_length: MaxLineOpt = None,
    jobs: JobsOpt = None,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    out: OutOpt = None,
    report: ReportOpt = None,
    no_cross_file: NoCrossFileOpt = False,
) -> None:
    """Apply safe fixes in place (atomically), or show them with --diff, or copy with --out."""
    config = _config_from(ctx)
    if out is not None and (stdout or diff or full_diff):
        typer.echo("error: --out writes files; it cannot go with --stdout or --diff", err=True)
        raise typer.Exit(EXIT_ERROR)
    color_choice = _color(color)
    diff = diff or full_diff
    # With --stdout the cleaned text owns stdout, so findings go to stderr.
    report_out = sys.stderr if (stdout or "-" in paths) else sys.stdout
    reporter = Reporter(
        _output_format(output_format), out=report_out, err=sys.stderr, color=color_choice
    )
    results: list[FileResult] = []
    files = [raw for raw in paths if raw != "-"]
    options = batch.Options(
        fix=True, in_place=not diff, keep_text=diff, out_dir=out, jobs=jobs or 0
    )
    stream: Iterator[FileResult] = (
        clean_files(files, sys.stdout.buffer, config)
        if stdout
        else _batch(files, config, options, reporter)
    )
    stdin_result: FileResult | None = None
    if "-" in paths:
        name = stdin_filename or "<stdin>"
        # Streamed fixes are explained (with --explain) as they are applied and only counted,
        # so a long stream keeps none of them; its `applied` stays empty for the loop below.
        on_fixed: Callable[[Finding], None] = (
            functools.partial(reporter.explain_finding, name) if explain else _count_only
        )
        stdin_result, note = fix_stream(
            sys.stdin.buffer, sys.stdout.buffer, config, name=name, on_finding=on_fixed
        )
        _note(note)
        stream = itertools.chain([stdin_result], stream)
    for result in stream:
        if result is not stdin_result:  # stdin's note is said above
            _note(file_note(config, result))
        if diff and result.error is None:
            reporter.diff(result, context=context, full=full_diff)
        if explain and result.error is None:
            reporter.explain(result)
        if not diff:
            _report(reporter, result)
        elif result.error is not None:
            reporter.error(result)
        results.append(result)
    reporter.close()
    raise typer.Exit(_finish(results, report, "fix", exit_zero=exit_zero))


@app.command()
def rules(
    rule_id: Annotated[
        str | None, typer.Argument(help="Explain this rule.", show_default=False)
    ] = None,
    output_format: FormatOpt = None,
    color: ColorOpt = "auto",
) -> None:
    """List every rule, or explain one with examples."""
    reporter = Reporter(
        _output_format(output_format), out=sys.stdout, err=sys.stderr, color=_color(color)
    )
    if rule_id is None:
        reporter.rules()
        return
    known = {info.id: info for info in all_rules()}
    if rule_id not in known:
        typer.echo(f"error: no rule {rule_id!r}; known rules: {', '.join(sorted(known))}", err=True)
        raise typer.Exit(EXIT_ERROR)
    reporter.rule(known[rule_id])


def _batch(
    raws: list[str], config: Config, options: batch.Options, reporter: Reporter
) -> Iterator[FileResult]:
    """Expand folders and run the files in worker processes, in sorted order, with progress."""
    entries = discover(raws, include=config.include, exclude=config.exclude, skip=options.out_dir)
    cross_file = batch.wants_cross_file(config, len(entries))
    options = dataclasses.replace(options, cross_file=cross_file)
    total = sum(_size(entry.path) for entry in entries if entry.error is None)
    with reporter.progress(len(entries), total) as bar:
        for result in batch.run(entries, config, options):
            bar.advance(result.bytes_before)
            yield result


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # reported as an error when read


def _count_only(finding: Finding) -> None:
    """Take a streamed fix and keep nothing: the stream counts it."""


def _note(note: str | None) -> None:
    if note is not None:
        typer.echo(f"note: {note}", err=True)


def _finish(
    results: list[FileResult], report: Path | None, command: str, *, exit_zero: bool
) -> int:
    """Write the --report summary, if asked, and return the exit code."""
    if report is not None:
        summary = batch.Summary(command)
        for result in results:
            summary.add(result)
        try:
            summary.write(report)
        except CleanerError as error:
            typer.echo(f"error: {error.describe()}", err=True)
            return EXIT_ERROR
    return _exit_code(results, exit_zero=exit_zero)


def _source_to_quote(reporter: Reporter, result: FileResult, config: Config) -> str | None:
    """Read a file's text again for `rich` to quote its lines (the engine does not keep it)."""
    if reporter.format != "rich" or not result.findings or result.error is not None:
        return None
    if result.bytes_before > LARGE_BYTES:
        return None  # it was streamed (or nearly): reading it whole again would not be
    try:
        return read_file(Path(result.path), encoding=config.encoding).text
    except CleanerError:
        return None  # changed or gone since: report without quoting


def _report(reporter: Reporter, result: FileResult, source: str | None = None) -> None:
    if result.error is not None:
        reporter.error(result)
    else:
        reporter.findings(result, source=source)


# Command-line parameters that set a Config field of another name (the rest share names).
_FIELD_OF_PARAM = {
    "glossary": "glossary_files",
    "timestamp_tolerance": "timestamp_tolerance_ms",
    "overlap_tolerance": "overlap_tolerance_ms",
    "no_timestamps_for": "timestamp_formats",
}
# Flags that turn a setting off (`--no-cross-file`) or on (`--unsafe-fixes`) when given.
_SWITCHES = {
    "no_builtin_glossary": ("builtin_glossary", False),
    "no_inline_timestamps": ("inline_timestamps", False),
    "no_cross_file": ("cross_file", False),
    "unsafe_fixes": ("unsafe_fixes", True),
}
_CONFIG_FIELDS = frozenset(f.name for f in dataclasses.fields(Config))


def _config_from(ctx: typer.Context) -> Config:
    """Build the configuration from the command's parameters; exit 2 on a bad setting."""
    flags: dict[str, Any] = {}
    for param, value in ctx.params.items():
        if param in _SWITCHES:
            field, setting = _SWITCHES[param]
            if value:
                flags[field] = setting
            continue
        field = _FIELD_OF_PARAM.get(param, param)
        # A repeatable option not given arrives empty: the configuration file's setting stays.
        if field in _CONFIG_FIELDS and value is not None and value not in ((), []):
            flags[field] = tuple(value) if field in ("include", "exclude") else value
    try:
        return _build_config(ctx.params.get("config_path"), **flags)
    except CleanerError as error:
        typer.echo(f"error: {error.describe()}", err=True)
        raise typer.Exit(EXIT_ERROR) from None


def main() -> None:
    """Entry point of the `cleaner` console script."""
    runtime.tune_process()  # policies for this process, so set here, not on import
    app()
