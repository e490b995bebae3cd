"""Score the duplicate rules on the labelled corpus: character precision and recall per kind.

What is compared: the characters of spoken words (`Sample.speech`, found with the rules' own
tokenizer), minus neutral spans. Cue numbers, timing lines, tags, speaker labels and JSON syntax
are left out on both sides, because a rule may rightly report a cue's text or delete its whole
block; either way the same words go.

Predicted characters (`--mode`):
- `edits` (default): what the first fix pass would delete: each edit's range, less what its
  replacement keeps (a diff of old and new text); a finding without an edit counts by its span.
  These are source offsets, unlike the output of `cleaner.fix`, whose later passes work on
  already-fixed text and cannot be mapped back without guessing.
- `findings`: the union of the findings' `[start, end)` spans.

Truth: the labelled spans (the later copy of a duplicate; repeats 2..n of a loop; the repeated
line and hold cues of rolling captions). A finding of any duplicate rule counts for every kind:
a long loop is also a duplicated passage and either rule may take it; the per-rule columns
show which did.

Run `python -m benchmarks.score --help`.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import cleaner
from benchmarks.corpus import FORMATS, KINDS, SCENARIOS, Sample, corpus
from cleaner.model import Edit, Finding

Span = tuple[int, int]
RULE_OF_KIND = {
    "exact": "duplicate-passage",
    "near": "duplicate-passage",
    "concat": "duplicate-passage",
    "loop": "repetition-loop",
    "rolling": "rolling-caption",
}
DUPLICATE_RULES = ("duplicate-passage", "repetition-loop", "rolling-caption")
# Rules that must stay silent on a clean transcript (srt-numbering removes no speech).
CLEAN_RULES = (*DUPLICATE_RULES, "srt-numbering")


def merge(spans: Iterable[Span]) -> list[Span]:
    """Return sorted, disjoint spans covering the same characters.

    >>> merge([(5, 8), (0, 2), (1, 3), (8, 9), (4, 4)])
    [(0, 3), (5, 9)]
    """
    out: list[Span] = []
    for start, end in sorted(s for s in spans if s[0] < s[1]):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def intersect(a: Sequence[Span], b: Sequence[Span]) -> list[Span]:
    """Return the characters in both merged span lists.

    >>> intersect([(0, 5), (8, 12)], [(3, 10)])
    [(3, 5), (8, 10)]
    """
    out: list[Span] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start < end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def subtract(a: Sequence[Span], b: Sequence[Span]) -> list[Span]:
    """Return the characters of merged `a` not in merged `b`.

    >>> subtract([(0, 10)], [(2, 3), (5, 7)])
    [(0, 2), (3, 5), (7, 10)]
    """
    out: list[Span] = []
    j = 0
    for start, end in a:
        while j < len(b) and b[j][1] <= start:
            j += 1
        k = j
        while k < len(b) and b[k][0] < end:
            if b[k][0] > start:
                out.append((start, b[k][0]))
            start = max(start, b[k][1])
            k += 1
        if start < end:
            out.append((start, end))
    return out


def size(spans: Iterable[Span]) -> int:
    """Return the number of characters in disjoint spans."""
    return sum(end - start for start, end in spans)


def _as_cut(finding: Finding, edit: Edit, old: str) -> Span | None:
    """Return the finding's span (give or take a space) if the edit amounts to deleting it."""
    for widen_start, widen_end in ((0, 0), (1, 0), (0, 1)):
        start = max(finding.start - widen_start, edit.start)
        end = min(finding.end + widen_end, edit.end)
        kept = old[: start - edit.start] + old[end - edit.start :]
        if start < end and kept == edit.replacement:
            return start, end
    return None


def removed(finding: Finding, source: str, mode: str = "edits") -> list[Span]:
    """Return the source characters `finding` would remove (or report, in `findings` mode)."""
    if mode == "findings" or not finding.edits:
        return [(finding.start, finding.end)]
    out: list[Span] = []
    for edit in finding.edits:
        if not edit.replacement:
            out.append((edit.start, edit.end))
            continue
        old = source[edit.start : edit.end]
        # A rewrite that equals deleting the finding's own span is read as that deletion: where
        # the text repeats, a diff could as well match the kept words with another copy.
        cut = _as_cut(finding, edit, old)
        if cut is not None:
            out.append(cut)
            continue
        matcher = difflib.SequenceMatcher(None, old, edit.replacement, autojunk=False)
        for tag, i1, i2, _, _ in matcher.get_opcodes():
            if tag in ("delete", "replace"):
                out.append((edit.start + i1, edit.start + i2))
    return out


@dataclass(slots=True)
class Counts:
    """Characters predicted and true, and their overlap."""

    predicted: int = 0
    truth: int = 0
    hit: int = 0

    def add(self, other: Counts) -> None:
        """Add `other` into this tally."""
        self.predicted += other.predicted
        self.truth += other.truth
        self.hit += other.hit

    @property
    def precision(self) -> float:
        """Return hits over predicted characters (1.0 when nothing was predicted)."""
        return self.hit / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        """Return hits over true characters (1.0 when there was nothing to find)."""
        return self.hit / self.truth if self.truth else 1.0


def count(sample: Sample, predicted: Iterable[Span], kind: str | None = None) -> Counts:
    """Compare predicted spans with the truth of `kind` (all kinds if None) on spoken words."""
    universe = subtract(merge(sample.speech), merge(sample.neutral))
    truth = intersect(
        merge((x.start, x.end) for x in sample.labels if kind in (None, x.kind)), universe
    )
    predicted = intersect(merge(predicted), universe)
    return Counts(size(predicted), size(truth), size(intersect(predicted, truth)))


@dataclass(slots=True)
class Result:
    """What the rules did on one sample."""

    sample: Sample
    findings: list[Finding]
    spans: dict[str, list[Span]]  # rule -> predicted spans

    def predicted(self, rules: Iterable[str]) -> list[Span]:
        """Return the union of the spans of `rules`."""
        return merge(s for rule in rules for s in self.spans.get(rule, ()))


def run(sample: Sample, mode: str = "edits", rules: Sequence[str] = DUPLICATE_RULES) -> Result:
    """Check `sample` with the cleaner and collect the spans of the duplicate rules."""
    config = cleaner.Config()
    findings = cleaner.check(sample.text, path=sample.path, config=config)
    spans: dict[str, list[Span]] = defaultdict(list)
    for finding in findings:
        if finding.rule in rules:
            spans[finding.rule].extend(removed(finding, sample.text, mode))
    return Result(sample, findings, dict(spans))


@dataclass(slots=True)
class Table:
    """Tallies by (scenario, format), true characters found per (kind, rule), clean findings."""

    by_scenario: dict[tuple[str, str], Counts]
    by_rule: dict[tuple[str, str], int]
    truth: dict[str, int]  # kind -> true characters
    clean_findings: list[tuple[str, Finding]]


def evaluate(results: Iterable[Result], rules: Sequence[str] = DUPLICATE_RULES) -> Table:
    """Tally precision and recall per scenario (a kind alone, or mixed) and format."""
    by_scenario: dict[tuple[str, str], Counts] = defaultdict(Counts)
    by_rule: dict[tuple[str, str], int] = defaultdict(int)
    truth: dict[str, int] = defaultdict(int)
    clean: list[tuple[str, Finding]] = []
    for result in results:
        sample = result.sample
        by_scenario[sample.scenario, sample.format].add(count(sample, result.predicted(rules)))
        if sample.scenario == "clean":
            clean += [(sample.name, f) for f in result.findings if f.rule in CLEAN_RULES]
        for kind in {label.kind for label in sample.labels}:
            truth[kind] += count(sample, [], kind).truth
            for rule in rules:
                by_rule[kind, rule] += count(sample, result.spans.get(rule, []), kind).hit
            by_rule[kind, "any"] += count(sample, result.predicted(rules), kind).hit
    return Table(dict(by_scenario), dict(by_rule), dict(truth), clean)


def totals(table: Table) -> dict[str, Counts]:
    """Return the tallies of each scenario over all formats."""
    out: dict[str, Counts] = defaultdict(Counts)
    for (scenario, _), counts in table.by_scenario.items():
        out[scenario].add(counts)
    return dict(out)


def markdown(table: Table, rules: Sequence[str] = DUPLICATE_RULES) -> str:
    """Render Markdown tables: P/R per scenario and format, then true chars found per rule."""
    scenarios = [k for k in SCENARIOS if any(key[0] == k for key in table.by_scenario)]
    formats = [f for f in FORMATS if any(key[1] == f for key in table.by_scenario)]
    sums = totals(table)
    lines = ["| scenario | " + " | ".join(formats) + " | all |", "|---" * (len(formats) + 2) + "|"]
    for scenario in scenarios:
        cells = []
        for fmt in (*formats, None):
            c = table.by_scenario.get((scenario, fmt)) if fmt else sums[scenario]
            if c is None:
                cells.append("")
            elif scenario == "clean":
                cells.append(f"{c.predicted} chars flagged")
            else:
                cells.append(f"P {c.precision:.3f} R {c.recall:.3f}")
        lines.append(f"| {scenario} | " + " | ".join(cells) + " |")
    lines += ["", "Recall by rule:", "", "| kind | true chars | " + " | ".join(rules) + " | any |"]
    lines.append("|---" * (len(rules) + 3) + "|")
    for kind in (k for k in KINDS if table.truth.get(k)):
        truth = table.truth[kind]
        shares = [f"{table.by_rule.get((kind, r), 0) / truth:.3f}" for r in (*rules, "any")]
        lines.append(f"| {kind} | {truth} | " + " | ".join(shares) + " |")
    lines += [
        "",
        f"Findings of {', '.join(CLEAN_RULES)} on clean transcripts: {len(table.clean_findings)}",
    ]
    for name, finding in table.clean_findings[:10]:
        lines.append(f"- {name}:{finding.line}:{finding.column} {finding.rule} {finding.message}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Generate the corpus, run the rules, print the tables; exit 1 if a target is missed."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.score", description=__doc__)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--words", type=int, default=1500, help="words per transcript")
    parser.add_argument("--copies", type=int, default=1, help="samples per kind and format")
    parser.add_argument("--max-copy", type=int, default=2000, help="longest pasted passage")
    parser.add_argument("--mode", choices=("edits", "findings"), default="edits")
    parser.add_argument("--formats", nargs="*", default=list(FORMATS))
    parser.add_argument("--scenarios", nargs="*", default=list(SCENARIOS))
    parser.add_argument("--target", type=float, default=0.99)
    args = parser.parse_args(argv)
    samples = corpus(
        args.seed,
        words=args.words,
        formats=args.formats,
        scenarios=args.scenarios,
        copies=args.copies,
        max_copy=args.max_copy,
    )
    table = evaluate(run(s, args.mode) for s in samples)
    sys.stdout.write(markdown(table) + "\n")
    missed = [k for k, c in totals(table).items() if min(c.precision, c.recall) < args.target]
    return 1 if missed or table.clean_findings else 0


if __name__ == "__main__":
    raise SystemExit(main())
