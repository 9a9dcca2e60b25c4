"""Locust load for bench_backend.py: half searches (varied words, filters, pages), half item details.

Each simulated shopper sends BENCH_USER_RATE requests per second (constant throughput), so
users x rate is the offered load whatever the latency, as long as latency stays under 1/rate s.
"""

from __future__ import annotations

import os
import random
from urllib.parse import urlencode

from locust import FastHttpUser, constant_throughput, task

from benchmarks.backend_catalogue import ADJECTIVES, BRANDS, COLOURS, PRODUCTS, QUERIES

ITEMS = int(os.environ.get("BENCH_ITEMS", "100000"))
USER_RATE = float(os.environ.get("BENCH_USER_RATE", "5"))
BIG_CLASSES = ["top", "outerwear", "bottom", "shoes", "bag", "headwear"]
WORDS = [*QUERIES, *ADJECTIVES, *COLOURS, *(p[0] for p in PRODUCTS), *(b.split()[0] for b in BRANDS)]


def random_query(rng: random.Random) -> str:
    """A realistic mix: whole words, two-character pieces of Korean words, two-word queries."""
    word = rng.choice(WORDS)
    roll = rng.random()
    if roll < 0.25 and len(word) > 2:
        start = rng.randrange(len(word) - 1)
        return word[start:start + 2]
    if roll < 0.45:
        return f"{word} {rng.choice(WORDS)}"
    return word.lower() if rng.random() < 0.5 else word


class Shopper(FastHttpUser):
    wait_time = constant_throughput(USER_RATE)

    @task
    def search(self) -> None:
        rng = random
        params: dict[str, object] = {"q": random_query(rng), "page": rng.choice([1, 1, 1, 2, 3])}
        if rng.random() < 0.3:
            params["big_class"] = rng.choice(BIG_CLASSES)
        if rng.random() < 0.1:
            params["sort"] = rng.choice(["price", "-price", "newest"])
        self.client.get(f"/api/v1/items/search?{urlencode(params)}", name="search")

    @task
    def detail(self) -> None:
        self.client.get(f"/api/v1/items/{random.randint(1, ITEMS)}", name="detail")
