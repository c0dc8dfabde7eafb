"""What a story's reader sees first: a summary that stands alone, key points, names.

A summary is one or two sentences from the opening of the story's most central
report, chosen so that a reader can follow them without the article: no
sentence that opens with a pronoun whose referent is not right before it, no
quotation fragment, and news (a sentence that names something the story is
about) before commentary.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.models import KeyPoint
from bot.text.pronouns import POINTING_BACK
from bot.text.sentences import split_sentences

#: Sentences read from the top of an article: a report states its news first.
OPENING_SENTENCES = 8
#: Sentences read per article when looking for key points.
KEY_POINT_SENTENCES = 40
#: A summary stops before this many words (about three lines in a chat client).
SUMMARY_WORDS = 60
#: A sentence shorter than this is a caption, a dateline or a fragment.
MIN_WORDS = 6
#: A sentence longer than this is a run-on a reader should not get as a summary.
MAX_WORDS = 50
#: A key point's name must come within this many words of the sentence's start,
#: where English puts the subject: the sentence is then about what the name did.
SUBJECT_WORDS = 8
KEY_POINTS = 5
MAX_NAMES = 8

_QUOTES = '"“”‘’«»'
_FIRST_WORD = re.compile(r"\w+")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Report:
    """An article of a story, most central first, with its sentences in order."""

    source: int  # 1-based position in the story's article list
    sentences: tuple[str, ...]
    names: tuple[str, ...]


def reports(
    texts: Sequence[Sequence[str]], names: Sequence[Sequence[str]], limit: int
) -> list[Report]:
    """Reports from each article's passages (story order), first ``limit`` sentences each."""
    out = []
    for n, (passages, found) in enumerate(zip(texts, names, strict=True), 1):
        sentences: list[str] = []
        for passage in passages:
            sentences.extend(s.strip() for s in split_sentences(passage) if s.strip())
            if len(sentences) >= limit:
                break
        out.append(Report(n, tuple(sentences[:limit]), tuple(found)))
    return out


def summary(lead: Report, story_names: Sequence[str]) -> str:
    """One or two opening sentences of ``lead``: the first readable one that names
    something of the story (else the first readable one), and the next when it
    follows on directly and fits."""
    opening = lead.sentences[:OPENING_SENTENCES]
    readable = [i for i, s in enumerate(opening) if stands_alone(s)]
    if not readable:
        return ""
    lowered = [n.lower() for n in story_names]
    news = [i for i in readable if any(n in opening[i].lower() for n in lowered)]
    first = (news or readable)[0]
    chosen = [opening[first]]
    if first + 1 < len(opening):
        following = opening[first + 1]
        fits = _words(chosen[0]) + _words(following) < SUMMARY_WORDS
        if fits and readable_after(following):
            chosen.append(following)
    return " ".join(chosen)


def key_points(
    ordered: Sequence[Report],
    story_names: Sequence[str],
    weigh: Callable[[str], float],
    summary: str = "",
) -> tuple[KeyPoint, ...]:
    """For each of the story's main names, the readable sentence that has it as its
    subject and is most about the story (``weigh``; the earlier on a tie); a
    sentence serves one name only, and none repeats the summary."""
    used = {s for report in ordered for s in report.sentences if s in summary}
    points: list[KeyPoint] = []
    for name in story_names:
        found = _subject_sentence(ordered, name, used, weigh)
        if found is not None:
            source, sentence = found
            used.add(sentence)
            points.append(KeyPoint(name=name, text=sentence, source=source))
            if len(points) == KEY_POINTS:
                break
    return tuple(points)


def story_names(ordered: Sequence[Report]) -> tuple[str, ...]:
    """Names by how many of the story's reports carry them, then by prominence."""
    counts: Counter[str] = Counter()
    rank: dict[str, tuple[int, int]] = {}
    spelled: dict[str, str] = {}
    for r, report in enumerate(ordered):
        for position, name in enumerate(report.names[:12]):
            key = name.lower()
            counts[key] += 1
            rank.setdefault(key, (position, r))
            spelled.setdefault(key, name)
    kept: list[str] = []
    for key in sorted(counts, key=lambda k: (-counts[k], rank[k])):
        # "Board" beside "Oversight Board", "President Donald Trump" beside "Trump":
        # one name, shown as it ranks first.
        if not any(_within(key, other) or _within(other, key) for other in kept):
            kept.append(key)
    return tuple(spelled[k] for k in kept[:MAX_NAMES])


def _within(short: str, long: str) -> bool:
    """True when ``short`` occurs in ``long`` as whole words."""
    return _whole_words(short, long) is not None


def _whole_words(needle: str, text: str) -> re.Match[str] | None:
    """Where ``needle`` first occurs in ``text`` as whole words (not inside a word)."""
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", text)


def stands_alone(sentence: str) -> bool:
    """True for a sentence a reader can take without what came before it."""
    return readable_after(sentence) and _opening_word(sentence) not in POINTING_BACK


def readable_after(sentence: str) -> bool:
    """True for a whole sentence of a readable length that is not a quotation fragment
    (it would also read well straight after the sentence it follows)."""
    words = _words(sentence)
    if not MIN_WORDS <= words <= MAX_WORDS:
        return False
    quotes = sum(sentence.count(q) for q in '"“”')
    opens_quoted = sentence[0] in _QUOTES
    cut_short = sentence.endswith(("...", "…"))  # a teaser the source truncated
    return (
        not opens_quoted
        and not cut_short
        and quotes % 2 == 0
        and sentence[0].isupper()
        and sentence[-1] in ".!?"
    )


def _subject_sentence(
    ordered: Sequence[Report], name: str, used: set[str], weigh: Callable[[str], float]
) -> tuple[int, str] | None:
    lowered = name.lower()
    best: tuple[float, int, str] | None = None
    for report in ordered:
        for sentence in report.sentences:
            if sentence in used or not stands_alone(sentence):
                continue
            found = _whole_words(lowered, sentence.lower())
            if found and _words(sentence[: found.start()]) < SUBJECT_WORDS:
                weight = weigh(sentence)
                if best is None or weight > best[0]:
                    best = (weight, report.source, sentence)
    return None if best is None else (best[1], best[2])


def _opening_word(sentence: str) -> str:
    match = _FIRST_WORD.search(sentence)
    return match.group(0).lower() if match else ""


def _words(text: str) -> int:
    return len(_WORD.findall(text))
