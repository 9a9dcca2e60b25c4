"""Names of the blend's pair features, in order (shared by training, artifacts and serving).

Kept apart from `model.py` so that loading an artifact and serving never imports torch.
"""

FEATURES = ("cooccurrence", "cluster_rule", "lightgcn", "content", "same_brand", "popularity", "two_hop",
            "item_cluster", "variant_cooccurrence")
