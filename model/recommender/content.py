"""Content similarity for items that appear in no outfit: TF-IDF over names and brand, made dense.

Character n-grams suit Korean compounds ('스몰체크셔츠' contains '셔츠'); a truncated SVD turns the
sparse vectors into short dense ones so one matrix product scores a whole catalogue quickly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer

DIMENSIONS = 64


def item_text(name: str | None, brand: str | None) -> str:
    return f"{name or ''} {brand or ''}".strip().lower()


@dataclass
class ContentModel:
    vectorizer: TfidfVectorizer
    svd: TruncatedSVD | None
    brands: dict[str, int]

    @classmethod
    def fit(cls, names: list[str], brands: list[str | None], seed: int = 0) -> ContentModel:
        texts = [item_text(n, b) for n, b in zip(names, brands, strict=True)]
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True,
                                     max_df=0.5 if len(texts) > 20 else 1.0, dtype=np.float32)
        try:
            matrix = vectorizer.fit_transform(texts)
        except ValueError:  # every text empty or every n-gram too common
            vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 1), dtype=np.float32)
            matrix = vectorizer.fit_transform([t or "_" for t in texts])
        svd = None
        if matrix.shape[1] > DIMENSIONS + 1:
            svd = TruncatedSVD(DIMENSIONS, random_state=seed).fit(matrix)
        known = sorted({(b or "").strip().lower() for b in brands} - {""})
        return cls(vectorizer, svd, {b: i for i, b in enumerate(known)})

    def vectors(self, names: list[str], brands: list[str | None]) -> np.ndarray:
        """L2-normalised dense vectors, float32 [n, d]."""
        matrix = self.vectorizer.transform([item_text(n, b) for n, b in zip(names, brands, strict=True)])
        dense = self.svd.transform(matrix) if self.svd is not None else matrix.toarray()
        dense = np.asarray(dense, dtype=np.float32)
        norms = np.linalg.norm(dense, axis=1, keepdims=True)
        return dense / np.maximum(norms, 1e-9)

    def brand_ids(self, brands: list[str | None]) -> np.ndarray:
        """Brand index per item, -1 when absent or unknown (so it never matches)."""
        return np.asarray([self.brands.get((b or "").strip().lower(), -1) for b in brands], dtype=np.int64)
