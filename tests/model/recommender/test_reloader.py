"""ModelReloader over real artifact directories and real threads: the old model serves until the new one
has loaded, a failed load keeps the old one, and an unchanged artifact is never loaded twice."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from model.recommender import Recommender
from model.recommender.artifact import LATEST, SUBDIR, save_artifact
from model.recommender.model import ClosetModel
from model.recommender.reloader import ModelReloader, latest_version

TIMEOUT_S = 30  # bound on every wait: a hang fails the test instead of the run


def publish(artifact_dir: Path, version: str) -> Path:
    """A complete artifact directory named `version`, made the latest the way save_artifact does it."""
    root = artifact_dir / SUBDIR
    (root / version).mkdir(parents=True)
    (root / version / "meta.json").write_text(json.dumps({"version": version}), encoding="utf-8")
    pointer = root / f".{LATEST}.tmp"
    pointer.write_text(version, encoding="utf-8")
    pointer.replace(root / LATEST)
    return root / version


class GatedLoader:
    """Loads an artifact's meta.json; a version listed in `gates` waits for its Event, in `broken` raises."""

    def __init__(self) -> None:
        self.gates: dict[str, threading.Event] = {}
        self.started: dict[str, threading.Event] = {}
        self.broken: set[str] = set()
        self.calls: list[str] = []

    def __call__(self, path: Path) -> dict:
        self.calls.append(path.name)
        self.started.setdefault(path.name, threading.Event()).set()
        if path.name in self.gates:
            assert self.gates[path.name].wait(TIMEOUT_S), "the test never released the load"
        if path.name in self.broken:
            raise ValueError(f"{path.name} is unreadable")
        return json.loads((path / "meta.json").read_text(encoding="utf-8"))


def reloader_over(tmp_path: Path, load: GatedLoader) -> ModelReloader[dict]:
    return ModelReloader(load, lambda: latest_version(tmp_path))


def test_no_artifact_means_no_model_and_no_load(tmp_path: Path) -> None:
    load = GatedLoader()
    reloader = reloader_over(tmp_path, load)
    assert reloader.current() is None
    assert reloader.error is None and reloader.loads == 0 and load.calls == []


def test_the_old_model_serves_until_the_new_one_has_loaded(tmp_path: Path) -> None:
    load = GatedLoader()
    reloader = reloader_over(tmp_path, load)
    first = publish(tmp_path, "v1")
    assert reloader.current() == {"version": "v1"}  # nothing to serve yet: the first load is waited for
    assert reloader.in_use[1] == first

    load.gates["v2"] = threading.Event()
    second = publish(tmp_path, "v2")
    assert reloader.current() == {"version": "v1"}  # starts the load of v2 and does not wait for it
    assert load.started["v2"].wait(TIMEOUT_S)
    for _ in range(3):  # page runs meanwhile: still the old model, and no second load of v2
        assert reloader.current() == {"version": "v1"}
    assert reloader.loads == 2 and load.calls == ["v1", "v2"]

    load.gates["v2"].set()
    assert reloader.wait(TIMEOUT_S)
    assert reloader.current() == {"version": "v2"}
    assert reloader.in_use == ({"version": "v2"}, second)
    assert reloader.loads == 2


def test_an_unchanged_artifact_is_loaded_once(tmp_path: Path) -> None:
    load = GatedLoader()
    reloader = reloader_over(tmp_path, load)
    publish(tmp_path, "v1")
    for _ in range(20):
        assert reloader.current() == {"version": "v1"}
    assert reloader.wait(TIMEOUT_S)
    assert reloader.loads == 1 and load.calls == ["v1"]


def test_a_failed_load_keeps_the_old_model_until_the_artifact_changes_again(tmp_path: Path) -> None:
    load = GatedLoader()
    reloader = reloader_over(tmp_path, load)
    first = publish(tmp_path, "v1")
    assert reloader.current() == {"version": "v1"}

    load.broken.add("v2")
    publish(tmp_path, "v2")
    reloader.current()
    assert reloader.wait(TIMEOUT_S)
    assert reloader.current() == {"version": "v1"} and reloader.in_use[1] == first
    assert isinstance(reloader.error, ValueError)
    for _ in range(5):  # the broken artifact is not retried on every page run
        assert reloader.current() == {"version": "v1"}
    assert reloader.wait(TIMEOUT_S)
    assert load.calls == ["v1", "v2"]

    publish(tmp_path, "v3")  # a new artifact is tried again
    reloader.current()
    assert reloader.wait(TIMEOUT_S)
    assert reloader.current() == {"version": "v3"}
    assert reloader.error is None and load.calls == ["v1", "v2", "v3"]


def test_a_failed_first_load_is_a_state_not_a_retry_loop(tmp_path: Path) -> None:
    load = GatedLoader()
    load.broken.add("v1")
    reloader = reloader_over(tmp_path, load)
    publish(tmp_path, "v1")
    assert reloader.current() is None
    assert isinstance(reloader.error, ValueError)
    assert reloader.current() is None and load.calls == ["v1"]


def test_page_runs_waiting_for_the_first_model_all_get_it(tmp_path: Path) -> None:
    load = GatedLoader()
    load.gates["v1"] = threading.Event()
    reloader = reloader_over(tmp_path, load)
    publish(tmp_path, "v1")
    got: list[dict | None] = []
    runs = [threading.Thread(target=lambda: got.append(reloader.current())) for _ in range(4)]
    for run in runs:
        run.start()
    assert load.started["v1"].wait(TIMEOUT_S)
    load.gates["v1"].set()
    for run in runs:
        run.join(TIMEOUT_S)
        assert not run.is_alive()
    assert got == [{"version": "v1"}] * 4 and load.calls == ["v1"]


def test_a_newly_saved_real_artifact_replaces_the_served_recommender(synthetic, tiny_config,
                                                                     tmp_path: Path) -> None:
    fitted = ClosetModel(tiny_config).fit(synthetic)
    first = save_artifact(fitted, tmp_path)
    reloader = ModelReloader(lambda path: Recommender.load(tmp_path, floor=0.0, version=path),
                             lambda: latest_version(tmp_path))
    old = reloader.current()
    assert isinstance(old, Recommender) and reloader.in_use[1] == first
    item = int(old.item_ids[0])
    assert old.recommend(item, k=3)

    second = save_artifact(fitted, tmp_path)  # a retrain: a new version directory and LATEST
    assert second != first
    served = reloader.current()  # the old one, or the new one if its load already finished
    assert served is old or reloader.in_use[1] == second
    assert reloader.wait(TIMEOUT_S)
    new = reloader.current()
    assert isinstance(new, Recommender) and new is not old and reloader.in_use[1] == second
    assert [r.item_id for r in new.recommend(item, k=3)] == [r.item_id for r in old.recommend(item, k=3)]
    assert reloader.loads == 2
