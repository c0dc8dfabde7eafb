"""Average-linkage clustering over a sparse similarity graph.

Two groups merge while the mean similarity over *all* their cross pairs clears
the threshold, a pair that was never scored counting as 0. Unlike single
linkage, one close pair cannot chain two topics together, and a group grows
only by joining what is like most of it. The graph holds only the pairs worth
scoring, so the cost follows the number of pairs, not the square of the nodes.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable


def average_linkage(
    nodes: int, pairs: Iterable[tuple[int, int, float]], threshold: float
) -> list[list[int]]:
    """Clusters ``0..nodes-1`` given scored ``pairs`` ``(i, j, similarity)``.

    Returns the clusters, each a sorted list of node numbers, in order of their
    smallest node.
    """
    links: list[dict[int, float]] = [{} for _ in range(nodes)]
    for i, j, score in pairs:
        if i != j:
            links[i][j] = links[i].get(j, 0.0) + score
            links[j][i] = links[j].get(i, 0.0) + score
    size = [1] * nodes
    members: list[list[int]] = [[i] for i in range(nodes)]
    version = [0] * nodes
    heap: list[tuple[float, int, int, int, int]] = []

    def offer(a: int, b: int) -> None:
        mean = links[a][b] / (size[a] * size[b])
        if mean >= threshold:
            heapq.heappush(heap, (-mean, a, b, version[a], version[b]))

    for i in range(nodes):
        for j in links[i]:
            if i < j:
                offer(i, j)
    while heap:
        _, a, b, seen_a, seen_b = heapq.heappop(heap)
        if version[a] != seen_a or version[b] != seen_b or not members[a] or not members[b]:
            continue  # one side changed since this pair was offered
        if len(links[a]) < len(links[b]):
            a, b = b, a  # fold the smaller neighbourhood into the larger
        _merge(links, a, b)
        size[a] += size[b]
        members[a] += members[b]
        members[b] = []
        links[b] = {}
        version[a] += 1
        version[b] += 1
        for other in links[a]:
            offer(a, other)
    return sorted((sorted(m) for m in members if m), key=lambda m: m[0])


def _merge(links: list[dict[int, float]], a: int, b: int) -> None:
    """Moves ``b``'s links onto ``a``: a neighbour's sum to the union is the sum of both."""
    links[a].pop(b, None)
    for other, total in links[b].items():
        if other == a:
            continue
        links[a][other] = links[a].get(other, 0.0) + total
        links[other][a] = links[a][other]
        del links[other][b]
