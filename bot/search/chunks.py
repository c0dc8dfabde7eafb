"""Indexing a batch of articles into a ``Chunk``: the unit a build streams.

A chunk is what one worker process hands back for a batch of files: the
articles' references, their passages, and the passages' term counts in
passage-major (CSR) form over the chunk's own small vocabulary. Everything is
plain lists and numpy arrays, cheap to pickle between processes.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.embed.models import Embedder
from bot.models import Article, ArticleRef, CorpusWarning
from bot.search.dense import embed_passages, passage_context
from bot.search.passages import article_passages
from bot.search.segment import MAX_TF
from bot.text.tokenize import Tokenizer, surface_words


@dataclass(frozen=True, slots=True)
class Chunk:
    """Indexed articles: references, passages and passage-major term counts.

    ``indices[indptr[p]:indptr[p + 1]]`` are passage ``p``'s terms (into ``terms``),
    each once, and ``tfs`` their counts.
    """

    refs: tuple[ArticleRef, ...]
    files: tuple[str, ...]
    passage_counts: npt.NDArray[np.int32]
    headings: tuple[str | None, ...]
    texts: tuple[str, ...]
    terms: tuple[str, ...]
    indptr: npt.NDArray[np.int64]
    indices: npt.NDArray[np.int32]
    tfs: npt.NDArray[np.uint16]
    lengths: npt.NDArray[np.int32]
    words: dict[str, int]
    dense: npt.NDArray[np.float32] | None
    warnings: tuple[CorpusWarning, ...] = ()


def passage_terms(
    tokenizer: Tokenizer, title_terms: list[str], heading: str | None, text: str
) -> list[str]:
    """The index terms of one passage: its article's title, its heading and its text
    (a passage is found by what its article and section are called)."""
    return title_terms + tokenizer(heading or "") + tokenizer(text)


def index_articles(
    articles: Iterable[tuple[Article, str]],
    tokenizer: Tokenizer,
    embedder: Embedder | None = None,
    warnings: Sequence[CorpusWarning] = (),
) -> Chunk:
    """Cuts ``(article, source file)`` pairs into passages and counts their terms."""
    refs: list[ArticleRef] = []
    files: list[str] = []
    counts: list[int] = []
    headings: list[str | None] = []
    texts: list[str] = []
    contexts: list[str] = []
    vocab: dict[str, int] = {}
    ids = array("i")
    lengths = array("i")
    words: Counter[str] = Counter()
    for article, file in articles:
        refs.append(article_ref(article))
        files.append(file)
        title_terms = tokenizer(article.title)
        words.update(surface_words(article.title))
        n = 0
        for heading, text in article_passages(article):
            terms = passage_terms(tokenizer, title_terms, heading, text)
            ids.extend([vocab.setdefault(t, len(vocab)) for t in terms])
            lengths.append(len(terms))
            headings.append(heading)
            texts.append(text)
            words.update(surface_words(text))
            if embedder is not None:
                contexts.append(passage_context(article.title, heading, text))
            n += 1
        counts.append(n)
    indptr, indices, tfs = _count_terms(np.frombuffer(ids, dtype=np.int32), lengths, len(vocab))
    dense = embed_passages(contexts, embedder, "").matrix if embedder is not None else None
    return Chunk(
        refs=tuple(refs),
        files=tuple(files),
        passage_counts=np.asarray(counts, dtype=np.int32),
        headings=tuple(headings),
        texts=tuple(texts),
        terms=tuple(vocab),
        indptr=indptr,
        indices=indices,
        tfs=tfs,
        lengths=np.frombuffer(lengths, dtype=np.int32).copy(),
        words=dict(words),
        dense=dense,
        warnings=tuple(warnings),
    )


def _count_terms(
    ids: npt.NDArray[np.int32], lengths: array[int], vocab_size: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32], npt.NDArray[np.uint16]]:
    """Passage-major term counts from every passage's term ids laid end to end."""
    per_passage = np.frombuffer(lengths, dtype=np.int32)
    passages = len(per_passage)
    owner = np.repeat(np.arange(passages, dtype=np.int64), per_passage)
    keys, tf = np.unique(owner * max(vocab_size, 1) + ids, return_counts=True)
    rows = keys // max(vocab_size, 1)
    indptr = np.searchsorted(rows, np.arange(passages + 1)).astype(np.int64)
    indices = (keys % max(vocab_size, 1)).astype(np.int32)
    return indptr, indices, np.minimum(tf, MAX_TF).astype(np.uint16)


def article_ref(article: Article) -> ArticleRef:
    """The citation-sized view of an article."""
    return ArticleRef(
        article_id=article.id,
        title=article.title,
        url=article.url,
        source=article.source,
        published=article.published,
        generated_title=article.generated_title,
    )
