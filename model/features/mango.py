"""Mango's own vocabulary: product type -> subcategory, Spanish fine colour -> colour family.

Mango items are stored with ``subcategory_raw = "aggregated_family > family > type"``,
``color_raw = des_agrup_color_eng`` (10 coarse groups; black sits inside GREY) and
``name = f"{type} {fine colour .title()}"``, so the fine colour is the name minus the type.
"""

from __future__ import annotations

from model.features.names import normalise_text

#: des_product_type -> subcategory (types not listed are not recommendable: jewellery, home, ...).
MANGO_TYPES: dict[str, str] = {
    "blouse": "shirt",
    "shirt": "shirt",
    "sweater": "knit",
    "sweater vest": "knit",
    "cardigan vest": "knit",
    "sweatshirt": "sweatshirt",
    "bodysuit": "top_other",
    "poloshirt": "polo",
    "t-shirt": "tee_short",
    "top": "top_other",
    "cardigan": "cardigan",
    "jeans": "denim_pants",
    "bermudas": "shorts",
    "shorts": "shorts",
    "skirt": "skirt",
    "skort": "skirt",
    "joggers": "training_pants",
    "leggings": "leggings",
    "trousers": "slacks",
    "dress": "dress",
    "pichi": "dress",
    "jumpsuit": "bottom_other",
    "overall": "bottom_other",
    "cape": "outer_other",
    "coat": "coat",
    "outer vest": "vest",
    "parka": "outer_other",
    "puffer coat": "padding",
    "trenchcoat": "coat",
    "blazer": "blazer",
    "jacket": "outer_other",
    "jacket (cazadora)": "blouson",
    "kaftan": "outer_other",
    "overshirt": "outer_other",
    "poncho": "outer_other",
    "leather jacket": "leather_jacket",
    "vest": "vest",
    "ankle boots": "boots",
    "boots": "boots",
    "clogs": "shoes_other",
    "sandals": "sandals",
    "shoes": "dress_shoes",
    "slippers": "sandals",
    "trainers": "sneakers",
    "backpack": "backpack",
    "belt bag": "crossbody",
    "bucket bag": "shoulder_tote",
    "citybag": "shoulder_tote",
    "clutch and pochettes": "bag_other",
    "crossbody bag": "crossbody",
    "handbag": "shoulder_tote",
    "mini bag": "bag_other",
    "shoulder bag": "shoulder_tote",
    "totes bag": "shoulder_tote",
    "beanie": "beanie",
    "cap": "cap",
    "hat": "hat_other",
}

#: des_color_specification_esp -> family; None where the name is not a colour (DIRTY washes).
MANGO_FINE_COLOURS: dict[str, str | None] = {
    "negro": "black",
    "tejano negro": "black",
    "crudo": "ivory",
    "offwhite": "ivory",
    "marfil": "ivory",
    "vainilla": "ivory",
    "blanco": "white",
    "porcelana": "white",
    "oro": "yellow",
    "beige": "beige",
    "verde": "green",
    "marron": "brown",
    "azul": "blue",
    "khaki": "khaki",
    "rojo": "red",
    "plata": "grey",
    "navy": "navy",
    "camel": "beige",
    "gris": "grey",
    "rosa": "pink",
    "arena": "beige",
    "naranja": "orange",
    "tejano medio": "blue",
    "piedra": "beige",
    "celeste": "sky_blue",
    "mostaza": "yellow",
    "fucsia": "pink",
    "chocolate": "brown",
    "gris medio vigore": "grey",
    "tejano oscuro": "blue",
    "cuero": "brown",
    "rosa pastel": "pink",
    "gris claro vigore": "grey",
    "antracita": "grey",
    "tejano claro": "sky_blue",
    "granate": "burgundy",
    "terracota": "orange",
    "caldero": "orange",
    "topo": "beige",
    "morado": "purple",
    "amarillo": "yellow",
    "nude": "beige",
    "caramelo": "brown",
    "burdeos": "burgundy",
    "botella": "green",
    "amarillo pastel": "yellow",
    "turquesa": "sky_blue",
    "malva": "purple",
    "marino": "navy",
    "vison": "beige",
    "verde pastel": "green",
    "gris oscuro vigore": "grey",
    "perla": "grey",
    "tabaco": "brown",
    "coral": "orange",
    "agua": "sky_blue",
    "vino": "burgundy",
    "azul noche": "navy",
    "lima": "green",
    "rosa palo": "pink",
    "oliva": "khaki",
    "peach": "pink",
    "ocre": "yellow",
    "fresa": "red",
    "tejano gris oscuro": "grey",
    "dirty": None,
    "lila": "purple",
    "cognac": "brown",
    "hielo": "sky_blue",
    "rosa light": "pink",
    "cobre": "orange",
    "chicle": "pink",
    "misterio": None,
    "petroleo": "blue",
    "bleach": "sky_blue",
    "taupe": "beige",
    "coffee": "brown",
    "tejano gris": "grey",
    "cereza": "red",
    "amarillo fluor": "yellow",
    "mandarina": "orange",
    "menta": "green",
    "blueblack": "navy",
    "tejano soft": "sky_blue",
    "dirty oscuro": None,
    "naranja pastel": "orange",
    "salmon": "pink",
    "tinta": "navy",
    "esmeralda": "green",
    "electrico": "blue",
    "canela": "brown",
    "caza": "khaki",
    "gunmetal": "grey",
    "musgo": "khaki",
    "indigo": "blue",
    "dirty claro": None,
    "violeta": "purple",
    "curry": "yellow",
    "manzana": "green",
    "billar": "green",
    "rosa fluor": "pink",
    "bermellon": "red",
    "pimenton": "red",
    "tejano gris claro": "grey",
    "blood": "red",
    "ceniza": "grey",
    "ciruela": "purple",
    "geranio": "red",
    "prusia": "navy",
    "asfalto": "grey",
}

#: des_agrup_color_eng -> family, used only when the fine colour is unknown. GREY also holds black,
#: so a GREY item without a readable fine colour stays grey with that caveat in the docs.
MANGO_GROUPS: dict[str, str] = {
    "WHITE": "white",
    "GREY": "grey",
    "BLUE": "blue",
    "BROWN": "brown",
    "PINK": "pink",
    "RED": "red",
    "GREEN": "green",
    "YELLOW": "yellow",
    "ORANGE": "orange",
    "PURPLE": "purple",
}


def mango_type(subcategory_raw: str | None) -> str:
    """The product type: the last segment of 'aggregated_family > family > type'."""
    return normalise_text((subcategory_raw or "").split(">")[-1])


def mango_subcategory(subcategory_raw: str | None) -> str | None:
    """Subcategory for a Mango product path, or None for types Closet does not recommend."""
    return MANGO_TYPES.get(mango_type(subcategory_raw))


def mango_colour(
    name: str | None, subcategory_raw: str | None, color_raw: str | None
) -> tuple[str | None, str]:
    """(family, how): the fine Spanish colour in the name when known, else the coarse group."""
    text = normalise_text(name)
    product_type = normalise_text((subcategory_raw or "").split(">")[-1])
    fine = text[len(product_type) :].strip() if product_type and text.startswith(product_type) else text
    if fine in MANGO_FINE_COLOURS:
        family = MANGO_FINE_COLOURS[fine]
        if family is not None:
            return family, "fine colour"
    group = (color_raw or "").strip().upper()
    if group in MANGO_GROUPS:
        return MANGO_GROUPS[group], "colour group"
    return None, "no known Mango colour"
