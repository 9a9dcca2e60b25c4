"""The replica shop's ground truth: items and outfits drawn deterministically from a seed.

Outfits follow style rules (which subcategories and colours a style combines); items are created
up front and then shared between outfits, preferring unused ones so that almost every item is
reachable by following outfit links, as on the real shop. `grow` adds outfits and items to a shop the
same way, later: the shop's new listings, for tests of refreshing a crawled catalogue.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from crawler.demo_shop.catalog import (
    ADJECTIVES,
    AGE_BUCKETS,
    BRANDS,
    CATEGORIES,
    COLOR_LABELS,
    FIT_VALUES,
    GENDER_BUCKETS,
    GENDER_LABELS,
    NEUTRALS,
    NOUNS,
    OUTFIT_TAGS,
    SEASON_LABELS,
    SEASON_VALUES,
    STYLES,
    TAGS,
    Style,
)

RELATED_OUTFITS_SHOWN = 12
GOODS_NUMBERS = range(1_000_000, 2_999_999)


@dataclass(slots=True)
class GoodsTruth:
    """One product exactly as its goods page shows it (plus the colour family it really has)."""

    goods_no: int
    name: str
    brand: str
    serial: str
    big_category: str
    mid_category: str
    big_class: str
    subcategory: str
    color_family: str
    color_in_name: bool
    price: int
    likes: int
    rating: float
    gender: str
    season: str
    views_1m: int
    sales_1y: int
    tags: list[str]
    seasons_active: list[str]
    fits_active: list[str]
    age_shares: dict[str, int]
    gender_shares: dict[str, int]
    background: str
    image: str = ""
    outfits: list[int] = field(default_factory=list)


@dataclass(slots=True)
class OutfitTruth:
    """One codimap outfit: style, tags, views and its items in display order."""

    codimap_id: int
    style_key: str
    style: str
    tags: list[str]
    views: int
    items: list[int]
    image: str = ""


@dataclass(slots=True)
class ShopTruth:
    """Everything the shop shows; written as ground_truth.json next to the pages."""

    seed: int
    per_page: int
    items: list[GoodsTruth]
    outfits: list[OutfitTruth]

    def to_json(self) -> dict:
        return {
            "seed": self.seed,
            "per_page": self.per_page,
            "items": [asdict(i) for i in self.items],
            "outfits": [asdict(o) for o in self.outfits],
        }

    @classmethod
    def from_json(cls, data: dict) -> ShopTruth:
        return cls(
            seed=data["seed"],
            per_page=data["per_page"],
            items=[GoodsTruth(**i) for i in data["items"]],
            outfits=[OutfitTruth(**o) for o in data["outfits"]],
        )

    @property
    def list_pages(self) -> int:
        return max(1, -(-len(self.outfits) // self.per_page))


def _shares(rng: random.Random, buckets: tuple[str, ...]) -> dict[str, int]:
    """Whole percentages over `buckets` that add up to exactly 100."""
    weights = [rng.random() + 0.05 for _ in buckets]
    raw = [w / sum(weights) * 100 for w in weights]
    shares = [int(r) for r in raw]
    for index in sorted(range(len(raw)), key=lambda i: raw[i] - shares[i], reverse=True)[: 100 - sum(shares)]:
        shares[index] += 1
    return dict(zip(buckets, shares, strict=True))


def _colour(rng: random.Random) -> str:
    families = list(COLOR_LABELS)
    weights = [5 if f in NEUTRALS else 2 if f in ("khaki", "brown", "sky_blue") else 1 for f in families]
    return rng.choices(families, weights)[0]


def _name(rng: random.Random, subcategory: str, family: str) -> tuple[str, bool]:
    korean, english = NOUNS[subcategory]
    adjective_ko, adjective_en = rng.choice(ADJECTIVES)
    colour_ko, colour_en = COLOR_LABELS[family]
    with_colour = rng.random() < 0.88
    if rng.random() < 0.7:
        name = f"{adjective_ko} {rng.choice(korean)}"
        return (f"{name} [{colour_ko}]" if with_colour else name), with_colour
    name = f"{adjective_en} {rng.choice(english)}"
    return (f"{name} ({colour_en})" if with_colour else name), with_colour


def _goods(rng: random.Random, goods_no: int) -> GoodsTruth:
    keys = list(CATEGORIES)
    big, mid = rng.choices(keys, [CATEGORIES[k][2] for k in keys])[0]
    big_class, subcategory, _ = CATEGORIES[(big, mid)]
    family = _colour(rng)
    name, in_name = _name(rng, subcategory, family)
    brand = rng.choice(BRANDS)
    base_price = {"outerwear": 129, "shoes": 89, "bag": 59, "headwear": 35}.get(big_class, 45)
    return GoodsTruth(
        goods_no=goods_no,
        name=name,
        brand=brand,
        serial=f"{rng.choice('ABCDMSTW')}{rng.choice('ABCDMSTW')}{rng.randint(22, 23)}"
        f"{rng.randint(100, 999)}",
        big_category=big,
        mid_category=mid,
        big_class=big_class,
        subcategory=subcategory,
        color_family=family,
        color_in_name=in_name,
        price=int(base_price * rng.uniform(0.4, 2.2)) * 1000 - rng.choice((0, 100, 1000)),
        likes=int(rng.paretovariate(1.3) * 40),
        rating=round(rng.uniform(4.0, 5.0), 1),
        gender=rng.choices(GENDER_LABELS, (5, 2, 4))[0],
        season=rng.choice(SEASON_LABELS),
        views_1m=int(rng.paretovariate(1.2) * 300),
        sales_1y=int(rng.paretovariate(1.4) * 20),
        tags=rng.sample(TAGS, rng.randint(2, 5)),
        seasons_active=sorted(rng.sample(SEASON_VALUES, rng.randint(1, 4)), key=SEASON_VALUES.index),
        fits_active=[rng.choice(FIT_VALUES)],
        age_shares=_shares(rng, AGE_BUCKETS),
        gender_shares=_shares(rng, GENDER_BUCKETS),
        background=rng.choice(("solid", "gradient", "texture")),
    )


class _Picker:
    """Chooses outfit members, preferring items no outfit uses yet."""

    def __init__(self, rng: random.Random, items: list[GoodsTruth]) -> None:
        self.rng = rng
        self.by_sub: dict[str, list[GoodsTruth]] = {}
        for item in items:
            self.by_sub.setdefault(item.subcategory, []).append(item)
        # an item's uses start at the outfits it is already in (none while a shop is generated; a grown
        # shop's old items have some, so its new items are the unused ones preferred)
        self.uses: dict[int, int] = {item.goods_no: len(item.outfits) for item in items}

    def pick(self, subcategories: tuple[str, ...], colours: set[str], taken: set[int]) -> GoodsTruth | None:
        candidates = [
            i
            for s in subcategories
            for i in self.by_sub.get(s, ())
            if i.color_family in colours and i.goods_no not in taken
        ]
        if not candidates:
            return None
        unused = [i for i in candidates if self.uses[i.goods_no] == 0]
        pool = unused if unused and self.rng.random() < 0.8 else candidates
        chosen = self.rng.choices(pool, [1 + self.uses[i.goods_no] for i in pool])[0]
        self.uses[chosen.goods_no] += 1
        return chosen


def _outfit(rng: random.Random, picker: _Picker, style: Style) -> list[GoodsTruth] | None:
    """Members for one outfit of `style`: top + bottom (or a dress), maybe outerwear, shoes, extras."""
    base = set(style.palette)
    accent_left = bool(style.accents)
    members: list[GoodsTruth] = []
    slots = [style.tops, style.bottoms]
    if rng.random() < style.outer_chance:
        slots.append(style.outers)
    if rng.random() < 0.8:
        slots.append(style.shoes)
    if rng.random() < 0.5:
        slots.append(style.extras)
    for index, subs in enumerate(slots):
        colours = base | set(style.accents) if accent_left else base
        chosen = picker.pick(subs, colours, {m.goods_no for m in members})
        if chosen is None:
            if index < 2:
                return None
            continue
        if chosen.color_family not in base:
            accent_left = False
        members.append(chosen)
    return members


def _make_outfits(rng: random.Random, picker: _Picker, outfit_ids: list[int],
                  accept: Callable[[list[GoodsTruth]], bool] | None = None) -> list[OutfitTruth]:
    """One outfit per id, each of a random style, its members chosen by `picker` (and, when given,
    passing `accept`); ValueError when the items cannot form that many."""
    made: list[OutfitTruth] = []
    attempts = 0
    while len(made) < len(outfit_ids):
        attempts += 1
        if attempts > len(outfit_ids) * 50:
            raise ValueError("these items cannot form enough outfits; use more items")
        style = rng.choice(STYLES)
        members = _outfit(rng, picker, style)
        if members is None or (accept is not None and not accept(members)):
            continue
        made.append(
            OutfitTruth(
                codimap_id=outfit_ids[len(made)],
                style_key=style.key,
                style=style.label,
                # a general tag may repeat a style tag: a page (and a crawl) shows each tag once
                tags=list(dict.fromkeys(rng.sample(OUTFIT_TAGS[style.key], 2) + rng.sample(TAGS, 1))),
                views=int(rng.paretovariate(1.1) * 500),
                items=[m.goods_no for m in members],
            )
        )
    return sorted(made, key=lambda o: o.codimap_id, reverse=True)


def _wear(outfits: list[OutfitTruth], by_no: dict[int, GoodsTruth]) -> set[int]:
    """Record each outfit on its items (an item lists its outfits newest, i.e. highest id, first);
    returns the goods numbers whose lists changed."""
    worn: set[int] = set()
    for outfit in outfits:
        for number in outfit.items:
            by_no[number].outfits.append(outfit.codimap_id)
            worn.add(number)
    for number in worn:
        by_no[number].outfits.sort(reverse=True)
    return worn


def generate(items: int, outfits: int, seed: int, per_page: int = 30) -> ShopTruth:
    """The whole shop for `seed`: `items` products, `outfits` outfits (all listed on the list pages)."""
    if items < 10 or outfits < 1:
        raise ValueError("the shop needs at least 10 items and 1 outfit")
    rng = random.Random(f"demo_shop:{seed}")
    numbers = rng.sample(GOODS_NUMBERS, items)
    goods = [_goods(rng, number) for number in numbers]
    picker = _Picker(rng, goods)
    made = _make_outfits(rng, picker, rng.sample(range(10_000, 99_999), outfits))
    _wear(made, {g.goods_no: g for g in goods})
    return ShopTruth(seed=seed, per_page=per_page, items=goods, outfits=made)


@dataclass(slots=True)
class Growth:
    """What `grow` added to a shop, and the items it already had whose pages now list a new outfit."""

    shop: ShopTruth  # the whole shop after growing
    items: list[GoodsTruth]
    outfits: list[OutfitTruth]  # newest first, all newer than every outfit the shop had
    rewritten: list[GoodsTruth]


def grow(shop: ShopTruth, outfits: int, items: int, seed: int) -> Growth:
    """`shop` with `outfits` new outfits and `items` new products, drawn as `generate` draws them.

    Every new outfit wears at least one new item together with at least one that an older outfit wears
    (so a crawl already found it): new items have real matches among the known ones. New outfit ids are
    above every old one (newest first on list page 1, as MUSINSA lists them). The draw depends on `seed`
    and on how many outfits the shop has, so growing the same shop again with the same seed adds
    different outfits, and growing two copies of one shop alike gives the same result. `shop` itself is
    not changed."""
    if outfits < 1 or items < 1:
        raise ValueError("growing needs at least 1 new outfit and 1 new item")
    shop = ShopTruth.from_json(shop.to_json())  # a copy: the caller's truth stays as it was
    rng = random.Random(f"demo_shop:{seed}:grow:{len(shop.outfits)}")
    known = {item.goods_no for item in shop.items}
    numbers = [n for n in rng.sample(GOODS_NUMBERS, items + len(known)) if n not in known][:items]
    goods = [_goods(rng, number) for number in numbers]
    new = set(numbers)
    newest = max((o.codimap_id for o in shop.outfits), default=9_999)
    outfit_ids = rng.sample(range(newest + 1, newest + 1 + 10 * outfits + 100), outfits)
    picker = _Picker(rng, shop.items + goods)

    def new_with_known(members: list[GoodsTruth]) -> bool:  # members' `outfits` are still the old ones
        return any(m.goods_no in new for m in members) and any(m.outfits for m in members)

    made = _make_outfits(rng, picker, outfit_ids, new_with_known)
    by_no = {g.goods_no: g for g in shop.items + goods}
    worn = _wear(made, by_no)
    shop.items += goods
    shop.outfits = made + shop.outfits
    return Growth(shop=shop, items=goods, outfits=made,
                  rewritten=[item for item in shop.items if item.goods_no in worn - new])


def shown_related(item: GoodsTruth) -> list[int]:
    """The related outfits an item page lists (newest first, at most RELATED_OUTFITS_SHOWN)."""
    return item.outfits[:RELATED_OUTFITS_SHOWN]
