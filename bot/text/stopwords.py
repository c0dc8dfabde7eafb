"""Stopwords: common English function words plus the words questions are made of.

Question words ("how", "many", "which", "tell") carry no topic, so they are dropped
from both the index and the query; the answer finder reads the question's shape
separately (see ``bot.answer.shape``).
"""

from __future__ import annotations

_ENGLISH = """
a about above after again against all am an and any are aren't as at be because been
before being below between both but by can cannot could couldn't did didn't do does
doesn't doing don't down during each few for from further had hadn't has hasn't have
haven't having he he'd he'll he's her here here's hers herself him himself his how
how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most
mustn't my myself no nor not of off on once only or other ought our ours ourselves out
over own same shan't she she'd she'll she's should shouldn't so some such than that
that's the their theirs them themselves then there there's these they they'd they'll
they're they've this those through to too under until up very was wasn't we we'd we'll
we're we've were weren't what what's when when's where where's which while who who's
whom why why's with won't would wouldn't you you'd you'll you're you've your yours
yourself yourselves also just will may might must shall us s t re ve ll d m
isn aren wasn weren hasn haven hadn doesn don didn won wouldn shan shouldn couldn mustn
"""

_QUESTION = """
how many much which who whom whose what when where why tell me please know explain
describe anything something thing things say says said give show find list get got
kind sort type number count amount max maximum min minimum exactly really actually
did does do done latest recent recently new news happen happened happens occur
occurred use used uses using
"""

STOPWORDS: frozenset[str] = frozenset((_ENGLISH + _QUESTION).split())
