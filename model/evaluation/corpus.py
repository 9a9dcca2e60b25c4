"""Read a train file and a test file of one format into a `Corpus` (the same readers the importer uses)."""

from __future__ import annotations

import sys
from pathlib import Path

from db.audience import combine_genders, genders_worn
from db.importers.mango import OUTFIT_FILE, read_mango
from db.importers.musinsa_snap import read_musinsa_snap
from db.importers.records import ItemRecord, ParsedSource
from model.evaluation.protocol import Corpus
from model.recommender.attributes import garment_profile, raw_attributes, variant_group
from model.recommender.data import TrainingSet, build_catalogue

FORMATS = ("musinsa-snap", "mango")


class CorpusError(ValueError):
    """The input files cannot be evaluated; the message says why."""


def read_source(fmt: str, path: Path) -> ParsedSource:
    """Parse one file of the format. Mango takes its directory or its outfit_data.csv."""
    path = Path(path)
    if fmt == "musinsa-snap":
        parsed = read_musinsa_snap(path)
    elif fmt == "mango":
        parsed = read_mango(path.parent if path.name == OUTFIT_FILE else path)
    else:
        raise CorpusError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if not parsed.outfits:
        detail = "; ".join(map(str, parsed.problems[:3]))
        raise CorpusError(f"no outfits read from {path}" + (f" ({detail})" if detail else ""))
    return parsed


def _row(record: ItemRecord, worn_gender: str | None) -> dict:
    attrs = raw_attributes(record.source, record.big_class_raw, record.subcategory_raw, record.color_raw,
                           record.name)
    return {"id": record.source_id, "big_class": record.big_class_raw or "", "cluster_key": attrs.cluster_key,
            "subcategory": attrs.subcategory, "color": attrs.color, "name": record.name,
            "brand": record.brand, "group": variant_group(record.source, record.source_id),
            **garment_profile(record.subcategory_raw, combine_genders([record.gender, worn_gender]),
                               record.tags)}


def _outfits(parsed: ParsedSource, index: dict) -> list[list[int]]:
    outfits = []
    for outfit in parsed.outfits:
        members = list(dict.fromkeys(index[key] for key, _ in outfit.members if key in index))
        if members:
            outfits.append(members)
    return outfits


def build_corpus(train: ParsedSource, test: ParsedSource) -> Corpus:
    """Catalogue = every item of both files, ordered by item id; outfits as catalogue indices.

    As in the database after an import, an item that states no gender takes the genders of the outfits
    it is worn in (`db.audience.genders_worn`), distractors' own outfits included."""
    records = {**test.items, **train.items}
    keys = sorted(records)
    index = {key: i for i, key in enumerate(keys)}
    worn = genders_worn((o.gender, [key for key, _ in o.members]) for o in train.outfits + test.outfits)
    catalogue = build_catalogue([_row(records[key], worn.get(key)) for key in keys])
    return Corpus(TrainingSet(catalogue, _outfits(train, index)), _outfits(test, index),
                  catalogue.big_class.copy())


def load_corpus(fmt: str, train_path: Path, test_path: Path) -> Corpus:
    return build_corpus(read_source(fmt, train_path), read_source(fmt, test_path))


def load_corpus_or_report(fmt: str, train_path: Path, test_path: Path) -> Corpus | None:
    """The corpus, or None after telling stderr why the files cannot be read (the CLIs then exit 2)."""
    try:
        return load_corpus(fmt, train_path, test_path)
    except (CorpusError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return None
