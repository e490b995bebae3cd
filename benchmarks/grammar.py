"""Spoken-English sentences from a small grammar over a Zipf-weighted vocabulary.

Duplicate detection is artificially easy on uniform word salad: every 3-gram is rare, so any
shared run stands out. Talk is not like that: "you know", "I think that", "of the" recur all the
time, and a detector must not confuse them with a pasted passage. Each word list below is in
rough frequency order and sampled with weight 1/rank, so common words and n-grams recur as they
do in real transcripts. Everything is driven by one `random.Random`, so a seed fixes the text.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence


def _split(text: str, sep: str | None = None) -> list[str]:
    """Split a word list written as prose (easier to read and edit than a list of strings)."""
    return [item.strip() for item in text.split(sep) if item.strip()]


_NOUNS = _split(
    """
time people way thing year day man world life hand part child eye woman place work week case
point number group problem fact question company system program government idea story end
side kind head house service friend father power hour game line member law car city community
name team minute market student level business model job family school country state night
area information book water money room mother moment issue lot research data result code answer
paper product customer course reason process price town level music history party voice health
person art war decision interest action experience effect picture view student industry sense
rate report truth role position society table word office door goal sort project plan face
detail rule software engineer guest show episode podcast conversation question topic tool
mind body air food energy light street order value support risk cost size form record season
message chance space feature article network bit type step board memory future past trouble
start release version update server client user account browser phone screen video sound
image file folder page site link email list note title summary feedback meeting call deal
difference example pattern practice approach theory method strategy structure measure range
amount figure unit stage film movie song album band artist writer reader author audience host
listener viewer fan player coach league match score ball field season trip road map river
island mountain beach garden tree flower animal dog cat bird fish horse farm village region
nation border army battle weapon police court judge lawyer crime prison patient doctor nurse
hospital medicine drug disease treatment brain heart skin blood science scientist lab test
experiment evidence sample study survey statistic chart graph table row column database query
budget tax bank loan debt income profit sale store shop brand advertising sponsor campaign
election vote policy leader president minister senator debate speech crowd protest church
language culture tradition holiday birthday wedding kid baby parent brother sister husband wife
couple neighbor stranger boss manager staff worker employee career salary interview resume
skill habit routine morning evening weekend month decade century generation gap bridge window
wall floor roof kitchen bedroom bathroom chair desk bed couch shelf box bag bottle cup glass
plate knife fork spoon shirt shoe hat coat dress color shape edge corner middle surface bottom
top front back inside outside weather rain snow wind storm sun moon star sky ocean sea lake
island planet machine engine robot chip battery cable device gadget camera microphone speaker
headphone laptop computer keyboard mouse monitor printer app platform framework library package
bug fix patch feature request branch commit review test pipeline deployment cluster container
"""
)

_VERBS = _split(
    """
say get make go know take see come think look want give use find tell ask work seem feel try
leave call need become keep let begin show hear play run move like live believe hold bring
happen write provide sit stand lose pay meet include continue set learn change lead understand
watch follow stop create speak read allow add spend grow open walk win offer remember love
consider appear buy wait serve die send expect build stay fall cut reach kill remain suggest
raise pass sell require report decide pull return explain hope develop carry break receive agree
support hit produce eat cover catch draw choose cause point listen realize place close involve
increase drive design ship launch fix test review release deploy train measure improve compare
check miss enjoy finish share save start answer push touch count imagine mention describe
prepare discuss notice wonder worry argue teach cook clean fly sing dance travel visit invite
"""
)

_IRREGULAR = {
    "say": "said",
    "get": "got",
    "make": "made",
    "go": "went",
    "know": "knew",
    "take": "took",
    "see": "saw",
    "come": "came",
    "think": "thought",
    "give": "gave",
    "find": "found",
    "tell": "told",
    "feel": "felt",
    "leave": "left",
    "become": "became",
    "keep": "kept",
    "let": "let",
    "begin": "began",
    "hear": "heard",
    "run": "ran",
    "hold": "held",
    "bring": "brought",
    "write": "wrote",
    "sit": "sat",
    "stand": "stood",
    "lose": "lost",
    "pay": "paid",
    "meet": "met",
    "set": "set",
    "lead": "led",
    "understand": "understood",
    "speak": "spoke",
    "read": "read",
    "spend": "spent",
    "grow": "grew",
    "win": "won",
    "buy": "bought",
    "send": "sent",
    "build": "built",
    "fall": "fell",
    "cut": "cut",
    "sell": "sold",
    "choose": "chose",
    "draw": "drew",
    "eat": "ate",
    "catch": "caught",
    "drive": "drove",
    "hit": "hit",
    "break": "broke",
    "teach": "taught",
    "fly": "flew",
    "sing": "sang",
    "put": "put",
}

_ADJECTIVES = _split(
    """
good new first last long great little own other old right big high different small large next
early young important few public bad same able real best better sure free whole major clear
hard simple open easy strong possible full special fine close recent certain true low happy
nice serious ready huge common cool quick slow short wrong main interesting weird crazy funny
amazing basic perfect obvious specific single similar local natural personal final human
technical social political global digital financial physical mental legal modern complex
previous particular available popular expensive cheap safe dangerous quiet loud deep heavy light
wide narrow bright dark warm cold hot fresh clean dirty busy empty rich poor smart stupid
"""
)

_ADVERBS = _split(
    """
really just actually also still even very so now then here there again probably maybe always
never often sometimes basically literally definitely totally pretty quite already almost
exactly certainly clearly usually finally quickly slowly suddenly recently honestly seriously
"""
)

_PREPOSITIONS = _split("of in to for with on at from by about into over after through like")
_DETERMINERS = _split("the a this that my your our their some every another his her")
_SUBJECTS = _split("I you we they it he she people everyone somebody nobody")
_OPENERS = _split(
    """
so | and | but | well | I think | you know | I mean | like | okay | right | honestly |
the thing is | to be honest | at the end of the day | and then | because | actually
""",
    "|",
)
_FILLERS = _split(
    """
um | uh | you know | like | I mean | yeah | sort of | kind of | right | okay
""",
    "|",
)
_CONNECTIVES = ["and", "but", "so", "because", "and then", "which means", "when", "if"]
_TAILS = ["right", "you know", "I guess", "I think", "or something", "and stuff"]


class _Zipf:
    """Sample from `items` with weight 1/rank (the first item is the most common)."""

    def __init__(self, items: Sequence[str]) -> None:
        self.items = [item.strip() for item in items if item.strip()]
        self.cumulative = list(itertools.accumulate(1 / (i + 1) for i in range(len(self.items))))

    def __call__(self, rng: random.Random) -> str:
        x = rng.random() * self.cumulative[-1]
        return self.items[bisect.bisect_right(self.cumulative, x)]


def _plural(noun: str) -> str:
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    if noun in ("man", "woman", "child"):
        return {"man": "men", "woman": "women", "child": "children"}[noun]
    return noun + "s"


def _past(verb: str) -> str:
    if verb in _IRREGULAR:
        return _IRREGULAR[verb]
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"


def _ing(verb: str) -> str:
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and verb not in ("see", "agree", "free"):
        return verb[:-1] + "ing"
    return verb + "ing"


def _third(verb: str) -> str:
    if verb in ("go", "do"):
        return verb + "es"
    return _plural(verb)


NOUNS = _Zipf(_NOUNS)
VERBS = _Zipf(_VERBS)
ADJECTIVES = _Zipf(_ADJECTIVES)
ADVERBS = _Zipf(_ADVERBS)
PREPOSITIONS = _Zipf(_PREPOSITIONS)
DETERMINERS = _Zipf(_DETERMINERS)
SUBJECTS = _Zipf(_SUBJECTS)
OPENERS = _Zipf(_OPENERS)
FILLERS = _Zipf(_FILLERS)

SPEAKERS = ("Alice", "Bob", "Host", "Guest", "Dana Smith", "Speaker 1", "Speaker 2")


def vocabulary_size() -> int:
    """Return the number of distinct word forms the grammar can produce."""
    forms = set(_ADJECTIVES) | set(_ADVERBS) | set(_PREPOSITIONS) | set(_DETERMINERS)
    forms |= {f for n in _NOUNS for f in (n, _plural(n))}
    forms |= {f for v in _VERBS for f in (v, _past(v), _ing(v), _third(v))}
    return len(forms)


class Speech:
    """A seeded speaker of plausible, repetitive, filler-laden spoken English."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def noun_phrase(self) -> str:
        """Return a determiner, maybe an adjective, and a noun (sometimes a plural)."""
        rng = self.rng
        noun = NOUNS(rng)
        if rng.random() < 0.3:
            noun = _plural(noun)
            det = rng.choice(("the", "some", "all the", "these", "those", "a lot of"))
        else:
            det = DETERMINERS(rng)
            if det == "a" and noun[0] in "aeiou":
                det = "an"
        adjective = ""
        if rng.random() < 0.35:
            adjective = ADJECTIVES(rng) + " "
            if det == "an" and adjective[0] not in "aeiou":
                det = "a"
            elif det == "a" and adjective[0] in "aeiou":
                det = "an"
        return f"{det} {adjective}{noun}"

    def clause(self) -> str:
        """Return subject, verb (present, past or progressive), object and maybe a phrase."""
        rng = self.rng
        subject = SUBJECTS(rng) if rng.random() < 0.7 else self.noun_phrase()
        verb = VERBS(rng)
        tense = rng.random()
        singular = subject in ("he", "she", "it", "everyone", "somebody", "nobody")
        singular = singular or (subject.split()[0] in ("a", "an", "this", "that", "my", "your"))
        if tense < 0.35:
            form = _third(verb) if singular and not subject.endswith("s") else verb
        elif tense < 0.7:
            form = _past(verb)
        else:
            be = "am" if subject == "I" else "is" if singular else "are"
            form = f"{be} {_ing(verb)}"
        parts = [subject, form]
        if rng.random() < 0.2:
            parts.insert(1, ADVERBS(rng))
        if rng.random() < 0.8:
            parts.append(self.noun_phrase())
        if rng.random() < 0.4:
            parts.append(f"{PREPOSITIONS(rng)} {self.noun_phrase()}")
        return " ".join(parts)

    def sentence(self) -> str:
        """Return one spoken sentence, capitalised and punctuated."""
        rng = self.rng
        parts: list[str] = []
        if rng.random() < 0.35:
            parts.append(OPENERS(rng) + ",")
        parts.append(self.clause())
        while rng.random() < 0.35:
            if rng.random() < 0.3:
                parts[-1] += ","
                parts.append(FILLERS(rng) + ",")
            parts.append(rng.choice(_CONNECTIVES))
            parts.append(self.clause())
        if rng.random() < 0.1:
            parts[-1] += ","
            parts.append(rng.choice(_TAILS))
        text = " ".join(parts)
        mark = "?" if rng.random() < 0.1 else "."
        return text[0].upper() + text[1:] + mark

    def words(self, count: int) -> str:
        """Return whole sentences totalling at least `count` words."""
        out: list[str] = []
        total = 0
        while total < count:
            sentence = self.sentence()
            out.append(sentence)
            total += len(sentence.split())
        return " ".join(out)
