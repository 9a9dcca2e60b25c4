"""The blend's pair features: their names in order, and the audience agreement (training and serving).

Kept apart from `model.py` (and free of torch) so that loading an artifact and serving never import torch.
"""

from __future__ import annotations

import numpy as np

FEATURES = ("cooccurrence", "cluster_rule", "lightgcn", "content", "same_brand", "popularity", "two_hop",
            "item_cluster", "variant_cooccurrence", "type_partner", "item_type", "audience")
AUDIENCE = ("gender", "line", "age")  # Mango: des_sex, des_line, des_age; MUSINSA items: mostly unknown


def audience_agreement(query: np.ndarray, items: np.ndarray) -> np.ndarray:
    """Per pair, +1 for every audience field both know and share, -1 for every one they both know and differ.

    `query` [m, F] and `items` [n, F] are integer codes with -1 for unknown (unknown is neutral), -> [m, n].
    """
    out = np.zeros((len(query), len(items)), dtype=np.float32)
    for f in range(items.shape[1] if items.ndim == 2 else 0):
        q = query[:, f][:, None]
        known = (q >= 0) & (items[:, f][None, :] >= 0)
        out += np.where(known, np.where(q == items[:, f][None, :], 1.0, -1.0), 0.0).astype(np.float32)
    return out
