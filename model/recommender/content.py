"""Content similarity for items that appear in no outfit: TF-IDF over names and brand, made dense.

Character n-grams suit Korean compounds ('스몰체크셔츠' contains '셔츠'); a truncated SVD turns the
sparse vectors into short dense ones so one matrix product scores a whole catalogue quickly. The model
is kept as plain arrays (vocabulary, idf, SVD components) so an artifact needs no pickle.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

DIMENSIONS = 48
NGRAMS = (2, 3)
# Names the vocabulary, idf and SVD are fitted on, at most (a seeded sample beyond): at 1,000,000 items
# fitting on all of them took about a minute of the benchmark's five, and the n-grams' document frequencies
# of 200,000 names are those of the whole catalogue within sampling noise. Every item still gets its vector.
FIT_SAMPLE = 200_000


def item_text(name: str | None, brand: str | None) -> str:
    return f"{name or ''} {brand or ''}".strip().lower()


@dataclass
class ContentModel:
    vocabulary: list[str]
    idf: np.ndarray  # float32 [V]
    components: np.ndarray | None  # float32 [d, V], None when the vocabulary is tiny
    brands: dict[str, int]

    @classmethod
    def fit(cls, names: list[str], brands: list[str | None], seed: int = 0) -> ContentModel:
        texts = [item_text(n, b) or "_" for n, b in zip(names, brands, strict=True)]
        if len(texts) > FIT_SAMPLE:
            chosen = np.sort(np.random.default_rng(seed).choice(len(texts), FIT_SAMPLE, replace=False))
            texts = [texts[i] for i in chosen.tolist()]
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS, sublinear_tf=True,
                                     max_df=0.5 if len(texts) > 20 else 1.0, dtype=np.float32)
        try:
            matrix = vectorizer.fit_transform(texts)
        except ValueError:  # every n-gram too common: keep all of them
            vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS, sublinear_tf=True,
                                         dtype=np.float32)
            matrix = vectorizer.fit_transform(texts)
        vocabulary = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
        components = None
        if matrix.shape[1] > DIMENSIONS + 1 and matrix.shape[0] > DIMENSIONS:
            components = TruncatedSVD(DIMENSIONS, random_state=seed).fit(matrix).components_
            components = components.astype(np.float32)
        known = sorted({(b or "").strip().lower() for b in brands} - {""})
        return cls(vocabulary, vectorizer.idf_.astype(np.float32), components,
                   {b: i for i, b in enumerate(known)})

    def vectors(self, names: list[str], brands: list[str | None]) -> np.ndarray:
        """L2-normalised dense vectors, float32 [n, d] (the TF-IDF transform, then the SVD)."""
        counter = CountVectorizer(analyzer="char_wb", ngram_range=NGRAMS,
                                  vocabulary={t: i for i, t in enumerate(self.vocabulary)})
        counts = counter.transform([item_text(n, b) for n, b in zip(names, brands, strict=True)])
        counts = counts.astype(np.float32)
        counts.data = 1.0 + np.log(counts.data)
        tfidf = counts @ sp.diags(self.idf)
        norms = np.sqrt(np.asarray(tfidf.multiply(tfidf).sum(axis=1))).ravel()
        tfidf = sp.diags(1.0 / np.maximum(norms, 1e-9)) @ tfidf
        dense = tfidf @ self.components.T if self.components is not None else tfidf.toarray()
        dense = np.asarray(dense, dtype=np.float32)
        return dense / np.maximum(np.linalg.norm(dense, axis=1, keepdims=True), 1e-9)

    def brand_ids(self, brands: list[str | None]) -> np.ndarray:
        """Brand index per item, -1 when absent or unknown (so it never matches)."""
        return np.asarray([self.brands.get((b or "").strip().lower(), -1) for b in brands], dtype=np.int64)
