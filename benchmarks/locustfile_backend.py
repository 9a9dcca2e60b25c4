"""Locust load for bench_backend.py: half searches (varied words, filters, pages), half item details.

Each simulated shopper sends BENCH_USER_RATE requests per second (constant throughput), so
users x rate is the offered load whatever the latency, as long as latency stays under 1/rate s.
"""

from __future__ import annotations

import os
import random

from locust import FastHttpUser, constant_throughput, task

from benchmarks.backend_catalogue import search_path

ITEMS = int(os.environ.get("BENCH_ITEMS", "100000"))
USER_RATE = float(os.environ.get("BENCH_USER_RATE", "5"))


class Shopper(FastHttpUser):
    wait_time = constant_throughput(USER_RATE)

    @task
    def search(self) -> None:
        self.client.get(search_path(random), name="search")

    @task
    def detail(self) -> None:
        self.client.get(f"/api/v1/items/{random.randint(1, ITEMS)}", name="detail")
