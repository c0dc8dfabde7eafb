"""Daily digests: what entered the corpus, grouped into stories, posted on schedule."""
