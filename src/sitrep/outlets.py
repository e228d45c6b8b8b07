"""Which outlet published an article: metadata first, then the URL's host, then the page's own
furniture ("© Sputnik", "Suivez RT en français"), with the table ``data/outlets.tsv``."""
from __future__ import annotations

import re
from urllib.parse import urlparse

from .model import Article
from .resources import read_table

__all__ = ["detect_outlet"]


def detect_outlet(article: Article) -> str | None:
    if article.outlet:
        return article.outlet
    rows = read_table("outlets.tsv")
    if article.url:
        host = (urlparse(article.url).hostname or "").lower()
        best = None
        for kind, pattern, outlet in rows:
            if kind == "domain" and (host == pattern or host.endswith("." + pattern)):
                if best is None or len(pattern) > len(best[0]):
                    best = (pattern, outlet)
        if best:
            return best[1]
    for kind, pattern, outlet in rows:
        if kind == "text" and re.search(pattern, article.text, re.IGNORECASE):
            return outlet
    for kind, pattern, *_ in rows:
        if kind == "capture":
            m = re.search(pattern, article.text)
            if m:
                return m.group("o").strip()
    return None
