"""The blend's pair features: their names in order, and the audience agreement (training and serving).

Kept apart from `model.py` (and free of torch) so that loading an artifact and serving never import torch.
"""

from __future__ import annotations

import numpy as np

FEATURES = ("cooccurrence", "cluster_rule", "lightgcn", "content", "same_brand", "popularity", "two_hop",
            "item_cluster", "variant_cooccurrence", "type_partner", "item_type", "audience", "brand_partner",
            "brand_two_hop")
# Mango: des_sex, des_line, des_age and the collection year; MUSINSA items: mostly unknown
AUDIENCE = ("gender", "line", "age", "collection")


def audience_agreement(query: np.ndarray, items: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Per pair, the evidence that two items' audience fields make them partners.

    `query` [m, F] and `items` [n, F] are integer codes with -1 for unknown (unknown is neutral), -> [m, n].
    `weights` [F, 2] holds, per field, what agreeing and disagreeing are worth (from
    `fit_audience_weights`); without it agreeing counts +1 and disagreeing -1.
    """
    if weights is None:
        fields = items.shape[1] if items.ndim == 2 else 0
        weights = np.tile(np.asarray([1.0, -1.0], dtype=np.float32), (fields, 1))
    out = np.zeros((len(query), len(items)), dtype=np.float32)
    for f in range(items.shape[1] if items.ndim == 2 else 0):
        q = query[:, f][:, None]
        known = (q >= 0) & (items[:, f][None, :] >= 0)
        out += np.where(known, np.where(q == items[:, f][None, :], weights[f, 0], weights[f, 1]), 0.0
                        ).astype(np.float32)
    return out


def fit_audience_weights(audience: np.ndarray, partners: np.ndarray, randoms: np.ndarray) -> np.ndarray:
    """Naive-Bayes log-likelihood ratios of agreeing / disagreeing on each field, real vs random pairs.

    `partners` and `randoms` are [k, 2] index pairs into `audience`. A field that every item shares (Mango's
    gender) is worth almost nothing; one that real partners share far more often than random items (the
    collection) is worth much. Add-one smoothing keeps rare fields finite.
    """
    weights = np.zeros((audience.shape[1], 2), dtype=np.float32)
    for f in range(audience.shape[1]):
        rates = []
        for pairs in (partners, randoms):
            a, b = audience[pairs[:, 0], f], audience[pairs[:, 1], f]
            known = (a >= 0) & (b >= 0)
            rates.append((np.sum(known & (a == b)) + 1.0) / (np.sum(known) + 2.0))
        real, rand = rates
        weights[f] = (np.log(real / rand), np.log((1.0 - real) / (1.0 - rand)))
    return weights
