"""Reports through the command line: formats, diffs that patch applies, rules, goldens."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from regen_report_goldens import GOLDEN, GOLDENS
from test_diffing import apply_unified
from test_output import TEXT_LINE_RE
from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.rules import all_rules

runner = CliRunner()

# A mis-heard term (fixable), a malformed cue and markup-looking text.
SRT = (
    "1\n00:00:01,000 --> 00:00:02,000\n[laughter] We use Cloud Code daily.\n\n"
    "2\n00:00:03,000 -> 00:00:04,000\n[/inaudible] broken arrow.\n\n"
    "3\n00:00:05,000 --> 00:00:06,000\nAt [00:01:23] we said Cloud Code again.\n"
)


@pytest.fixture
def srt(tmp_path: Path) -> Path:
    path = tmp_path / "ep.srt"
    path.write_text(SRT, newline="")
    return path


def _jsonl(path: Path) -> list[dict[str, object]]:
    done = runner.invoke(app, ["check", "--format", "jsonl", str(path)])
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_text_format_parses_back_to_every_finding(srt: Path) -> None:
    done = runner.invoke(app, ["check", "--format", "text", str(srt)])
    assert done.exit_code == 1
    parsed = []
    for line in done.stdout.splitlines():
        match = TEXT_LINE_RE.match(line)
        assert match is not None, line
        parsed.append((match[1], int(match[2]), int(match[3]), match[4], match[5]))
    expected = [(r["path"], r["line"], r["column"], r["rule"], r["message"]) for r in _jsonl(srt)]
    assert parsed == expected
    assert {"malformed-cue"} <= {p[3] for p in parsed}


def test_github_format(srt: Path) -> None:
    done = runner.invoke(app, ["check", "--format", "github", str(srt)])
    lines = done.stdout.splitlines()
    assert len(lines) == len(_jsonl(srt))
    assert f"::error file={srt},line=6,col=1,endLine=" in done.stdout
    assert all(
        re.match(r"^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,", x) for x in lines
    )


def test_sarif_format_validates(srt: Path) -> None:
    from test_output import _sarif_schema

    done = runner.invoke(app, ["check", "--format", "sarif", str(srt)])
    log = json.loads(done.stdout)
    jsonschema.Draft4Validator(_sarif_schema()).validate(log)
    assert len(log["runs"][0]["results"]) == len(_jsonl(srt))


def test_json_format_is_one_array(srt: Path) -> None:
    done = runner.invoke(app, ["check", "--format", "json", str(srt)])
    assert json.loads(done.stdout) == _jsonl(srt)


def test_unknown_format_is_a_usage_error(srt: Path) -> None:
    assert runner.invoke(app, ["check", "--format", "xml", str(srt)]).exit_code == 2


def _diff(srt: Path, *args: str, env: dict[str, str] | None = None) -> str:
    done = runner.invoke(app, ["fix", "--diff", *args, str(srt)], env=env)
    assert done.exit_code == 1, done.output
    assert srt.read_text() == SRT  # --diff writes nothing
    return done.stdout


@pytest.mark.parametrize(
    ("args", "env"), [(["--color", "never"], None), ([], {"NO_COLOR": "1"}), ([], None)]
)
def test_plain_diff_applies(srt: Path, args: list[str], env: dict[str, str] | None) -> None:
    diff = _diff(srt, *args, env=env)
    assert diff.startswith(f"--- a/{srt}\n+++ b/{srt}\n@@ ")
    fixed = SRT.replace("Cloud Code", "Claude Code")
    assert apply_unified(SRT, diff) == fixed


SEED = Path(__file__).resolve().parent.parent / "fixtures" / "seed.txt"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("patch") is None, reason="patch(1) is not installed")
@pytest.mark.parametrize(
    ("name", "source"), [("ep.srt", SRT), ("seed.txt", SEED.read_text("utf-8"))]
)
def test_plain_diff_applies_with_patch(tmp_path: Path, name: str, source: str) -> None:
    work = tmp_path / "w"
    (work / "talks").mkdir(parents=True)
    (work / "talks" / name).write_text(source, newline="")
    done = subprocess.run(
        [sys.executable, "-m", "cleaner", "fix", "--diff", f"talks/{name}"],
        cwd=work,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    copy = tmp_path / "copy"
    shutil.copytree(work, copy)
    patched = subprocess.run(
        ["patch", "-p1", "--batch"], input=done.stdout, cwd=copy, capture_output=True, check=False
    )
    assert patched.returncode == 0, patched.stdout + patched.stderr
    fixed = runner.invoke(app, ["fix", "--stdout", str(work / "talks" / name)]).stdout
    assert (copy / "talks" / name).read_text() == fixed
    assert fixed != source


def test_context_option(srt: Path) -> None:
    diff = _diff(srt, "--color", "never", "--context", "0")
    assert [line for line in diff.splitlines() if line[:1] == " "] == []


def test_rich_diff_when_color_is_forced(srt: Path) -> None:
    diff = _diff(srt, "--color", "always", "--format", "rich", env={"COLUMNS": "100"})
    assert "\x1b[" in diff  # styled
    plain = re.sub(r"\x1b\[[0-9;]*m", "", diff)
    assert "[laughter] We use Claude Code daily." in plain
    assert "1 file, 2 fixes applied in 1 file" in plain


def test_full_diff_implies_diff(srt: Path) -> None:
    assert "+[laughter] We use Claude Code daily." in _diff(srt, "--full-diff", "--color", "never")


def test_explain_lists_applied_edits_in_order(srt: Path) -> None:
    done = runner.invoke(app, ["fix", "--explain", "--format", "text", str(srt)])
    explained = [line for line in done.stdout.splitlines() if "glossary-term" in line]
    assert [line.split(":")[1:3] for line in explained] == [["3", "19"], ["11", "23"]]
    assert "Claude Code" in explained[0]


def test_rules_lists_every_rule() -> None:
    done = runner.invoke(app, ["rules"])
    assert done.exit_code == 0
    listed = {line.split()[0]: line.split()[1] for line in done.stdout.splitlines()}
    assert listed == {rule.id: rule.fix for rule in all_rules()}


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.id)
def test_rules_id_explains_with_examples(rule: object) -> None:
    from cleaner.rules import RuleInfo

    assert isinstance(rule, RuleInfo)
    done = runner.invoke(app, ["rules", rule.id])
    assert done.exit_code == 0
    assert done.stdout.startswith(f"{rule.id} (fix: {rule.fix})")
    assert "Flagged (" in done.stdout and "Not flagged (" in done.stdout
    first_line = rule.must_flag[0].splitlines()[0]
    assert f"    {first_line}" in done.stdout


def test_unknown_rule_exits_2_with_known_ids() -> None:
    done = runner.invoke(app, ["rules", "no-such-rule"])
    assert done.exit_code == 2
    assert "no rule 'no-such-rule'" in done.stderr
    assert all(rule.id in done.stderr for rule in all_rules())
    assert done.stdout == ""


def test_errors_go_to_stderr_with_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok\ncaf\xe9\n")
    done = runner.invoke(app, ["check", "--format", "json", str(bad)])
    assert done.exit_code == 2
    assert f"{bad}:2:" in done.stderr
    assert json.loads(done.stdout) == []


@pytest.mark.parametrize("name", sorted(GOLDENS))
def test_seed_goldens(name: str) -> None:
    expected = (GOLDEN / name).read_text("utf-8")
    assert GOLDENS[name]() == expected, "regenerate with python tests/regen_report_goldens.py"
