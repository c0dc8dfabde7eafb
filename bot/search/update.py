"""Building, updating and merging the index's segments.

``build`` indexes every file into one segment. ``update`` indexes only the files
added or changed since a commit into a new segment, and masks the articles of the
changed and deleted files in the old ones, recording what they contributed to the
corpus statistics so that scores stay exactly those of a fresh build. ``merge``
joins segments (dropping masked articles) when there are too many.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.corpus.listing import Changes, Listing
from bot.embed.lazy import LazyModel
from bot.models import CorpusWarning
from bot.search.chunks import passage_terms
from bot.search.index import SearchIndex
from bot.search.merge import merge_segments
from bot.search.parts import Deletions
from bot.search.pipeline import build_segment
from bot.search.segment import Segment
from bot.search.store import Commit, new_segment_dir, write_commit
from bot.text.tokenize import Tokenizer, surface_words

log = logging.getLogger("teambot")

#: Segments an index may have before ``merge`` joins the smaller ones: each
#: segment adds a dictionary lookup and an array slice per query term, negligible
#: at ten; Lucene's tiered policy allows about as many per tier.
MAX_SEGMENTS = 10
#: A segment whose masked passages reach this share of it is rewritten without
#: them: they still cost memory, disk and scan time.
MAX_DELETED_SHARE = 0.25


@dataclass(frozen=True, slots=True)
class IndexConfig:
    """What building and reading one corpus's index needs."""

    root: Path
    directory: Path | None  # None: in memory only (the data directory is not writable)
    expected: dict[str, Any]
    tokenizer: Tokenizer
    embed: LazyModel | None
    engine: str

    @property
    def dense_ident(self) -> str:
        return str(self.expected.get("dense", "off"))


def view(config: IndexConfig, commit: Commit) -> SearchIndex:
    """The searchable index of ``commit``."""
    return SearchIndex(
        commit.pairs(), config.tokenizer, engine=config.engine, dense_ident=config.dense_ident
    )


def build(config: IndexConfig, listing: Listing) -> Commit:
    """Indexes every file of ``listing`` into one segment and commits it."""
    files = sorted(listing.files)
    directory = new_segment_dir(config.directory) if config.directory else None
    sizes = {rel: stamp.size for rel, stamp in listing.files.items()}
    built = build_segment(config.root, files, config.embed, directory=directory, sizes=sizes)
    segments = (((directory.name if directory else "s-memory"), built.segment, Deletions()),)
    return _commit(config, 1, segments, listing, built.warnings, fresh=[(directory, built.segment)])


def update(config: IndexConfig, commit: Commit, listing: Listing, changes: Changes) -> Commit:
    """Commits ``changes`` (relative to ``commit``) as a new segment and deletions."""
    gone = set(changes.modified) | set(changes.deleted)
    shadowed = _shadowed(config.root, commit, gone) & set(listing.files)
    gone |= shadowed  # indexed again: an id they lost to a file now gone is theirs
    segments: list[tuple[str, Segment, Deletions]] = []
    taken: dict[str, str] = {}
    for name, segment, deletions in commit.segments:
        masked = set(deletions.articles)
        catalog = segment.catalog()
        doomed = [a for f in gone for a in catalog.by_file.get(f, ()) if a not in masked]
        if doomed:
            deletions = add_deletions(segment, deletions, doomed, config.tokenizer)
            masked |= set(doomed)
        segments.append((name, segment, deletions))
        for file, articles in catalog.by_file.items():
            for a in articles:
                if a not in masked:
                    taken[catalog.ids[a]] = file
    fresh: list[tuple[Path | None, Segment]] = []
    warnings = [w for w in commit.warnings if _file_of(config.root, w) not in gone]
    new = sorted(set(changes.added) | set(changes.modified) | shadowed)
    if new:
        directory = new_segment_dir(config.directory) if config.directory else None
        sizes = {rel: listing.files[rel].size for rel in new if rel in listing.files}
        built = build_segment(
            config.root, new, config.embed, directory=directory, taken=taken, sizes=sizes
        )
        warnings = [w for w in warnings if _file_of(config.root, w) not in set(new)]
        warnings.extend(built.warnings)
        if len(built.segment.refs):
            name = directory.name if directory else f"s-memory-{commit.generation + 1}"
            segments.append((name, built.segment, Deletions()))
            fresh.append((directory, built.segment))
    return _commit(config, commit.generation + 1, segments, listing, warnings, fresh=fresh)


def _shadowed(root: Path, commit: Commit, gone: set[str]) -> set[str]:
    """The files that had an article skipped for an id that an article of ``gone``
    files holds (their warnings say so): a fresh build would now index it."""
    ids: set[str] = set()
    for _, segment, deletions in commit.segments:
        catalog, masked = segment.catalog(), set(deletions.articles)
        held = (a for f in gone for a in catalog.by_file.get(f, ()) if a not in masked)
        ids.update(catalog.ids[a] for a in held)
    marks = tuple(f"duplicate article id {i!r} " for i in ids)
    return {
        _file_of(root, w) for w in commit.warnings if marks and w.message.startswith(marks)
    } - gone


def merge(config: IndexConfig, commit: Commit) -> Commit | None:
    """Joins segments when there are too many, or rewrites one that is mostly
    masked; ``None`` when nothing needs it."""
    chosen = merge_choice(commit.segments)
    if not chosen:
        return None
    picked = [commit.segments[i] for i in chosen]
    directory = new_segment_dir(config.directory) if config.directory else None
    merged = merge_segments([(s, d) for _, s, d in picked], directory)
    name = directory.name if directory else f"s-merged-{commit.generation + 1}"
    segments = [s for i, s in enumerate(commit.segments) if i not in set(chosen)]
    segments.insert(min(chosen), (name, merged, Deletions()))
    fresh = [(directory, merged)]
    return _commit(
        config, commit.generation + 1, segments, commit.listing, commit.warnings, fresh=fresh
    )


def merge_choice(segments: Sequence[tuple[str, Segment, Deletions]]) -> list[int]:
    """Which segments to merge (positions, ascending): the smallest ones, enough to
    bring the count to half of ``MAX_SEGMENTS``, once it is exceeded; else one
    segment that is mostly masked."""
    if len(segments) > MAX_SEGMENTS:
        by_size = sorted(range(len(segments)), key=lambda i: _live(segments[i]))
        return sorted(by_size[: len(segments) - MAX_SEGMENTS // 2 + 1])
    for i, (_, segment, deletions) in enumerate(segments):
        if (
            segment.passage_count
            and deletions.passages >= MAX_DELETED_SHARE * segment.passage_count
        ):
            return [i]
    return []


def _live(item: tuple[str, Segment, Deletions]) -> int:
    _, segment, deletions = item
    return segment.passage_count - deletions.passages


def _commit(
    config: IndexConfig,
    generation: int,
    segments: Iterable[tuple[str, Segment, Deletions]],
    listing: Listing,
    warnings: Sequence[CorpusWarning],
    *,
    fresh: Sequence[tuple[Path | None, Segment]],
) -> Commit:
    segments = tuple(segments)
    if config.directory is None:
        return Commit("memory", generation, segments, listing, tuple(warnings))
    saved = [(path, segment) for path, segment in fresh if path is not None]
    expected = config.expected
    if any(segment.dense is None for _, segment, _ in segments):
        expected = {**expected, "dense": "off"}  # the model did not load: say so
    return write_commit(
        config.directory, expected, generation, segments, listing, warnings, fresh=saved
    )


def add_deletions(
    segment: Segment, deletions: Deletions, articles: Sequence[int], tokenizer: Tokenizer
) -> Deletions:
    """``deletions`` plus ``articles``, with what they contributed to the statistics
    (their passages are tokenized again, exactly as they were indexed)."""
    df: Counter[str] = Counter(deletions.df)
    words: Counter[str] = Counter(deletions.words)
    length = deletions.length
    passages = deletions.passages
    for a in articles:
        ref = segment.refs[a]
        title_terms = tokenizer(ref.title)
        words.update(surface_words(ref.title))
        start, end = segment.span(a)
        for p in range(start, end):
            h = int(segment.heading_of[p])
            heading = segment.headings[h] if h >= 0 else None
            text = segment.texts[p]
            df.update(set(passage_terms(tokenizer, title_terms, heading, text)))
            words.update(surface_words(text))
            length += int(segment.lengths[p])
            passages += 1
    return Deletions(
        articles=tuple(sorted(set(deletions.articles) | set(articles))),
        df=dict(df),
        length=length,
        passages=passages,
        words=dict(words),
    )


def _file_of(root: Path, warning: CorpusWarning) -> str:
    """The corpus file (relative to ``root``) a warning is about."""
    path = warning.path
    if root.is_dir():
        prefix = str(root) + "/"
        path = path.removeprefix(prefix)
    else:
        path = ""
    head, sep, tail = path.rpartition(":")
    return head if sep and tail.isdigit() else path
