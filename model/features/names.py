# ruff: noqa: E501  (the lexicon and keyword tables read best one family / subcategory per line)
"""Colour family and subcategory from a product name (Korean, English, Mango's Spanish colours).

How the colour is read:

1. Names that offer several colours (``3colors``, ``2 COL``, ``(2컬러)``, ``멀티``) or a camouflage
   print give no colour.
2. Every colour word is found (longest match first: ``스카이블루`` before ``블루``, ``navy blue`` before
   ``blue``), with an optional modifier (라이트, 다크, 딥, 연, light, dark, pale, ...). Modifiers only
   move blue (light blue -> sky_blue, dark blue -> navy) and red (dark red -> burgundy).
3. Words standing next to each other form one phrase. A phrase of two families is a mix
   (``WHITE NAVY``, ``블랙화이트``) unless the first is a tint (``크림 베이지``, ``카키 브라운``).
4. Phrases in the *colour slot* (inside brackets, after ``_``, ``-``, ``/``, ``,`` or ``:``, or at the
   end of the name once product codes are dropped) win. One family there: that colour. Two or more:
   the name states several colours -> none. With no slot phrase, a single basic colour word in the
   body of the name is used (``블루 포켓 플리츠 팬츠``); fanciful words (cherry, rose, gold, forest ...)
   count only in the slot, because in the body they are usually prints or brand names.

The subcategory comes from keyword tables per big class: each keyword has a priority (down beats
coat, vest beats padding), ties go to the rightmost keyword, because names put the head noun last
(``데님 스커트`` is a skirt, ``니트 슬리브리스`` is sleeveless).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from model.features.vocab import BIG_CLASSES, OTHER_SUBCATEGORY

# ---------------------------------------------------------------------------------------------------
# Colour lexicon: word -> family. Spaced English/Korean phrases also match without spaces or with '-'.
# ---------------------------------------------------------------------------------------------------
_BASIC: dict[str, tuple[str, ...]] = {
    "black": ("black", "blk", "bk", "ebony", "에보니", "jet black", "블랙", "검정", "검정색", "검은색", "흑청", "블랙진", "negro", "negra"),
    "white": ("white", "wht", "wh", "optic white", "pure white", "화이트", "흰색", "백색", "퓨어화이트", "blanco", "blanca"),
    "ivory": ("ivory", "iv", "cream white", "크림화이트", "크림 화이트", "cream", "ecru", "oatmeal", "off white", "offwhite", "아이보리", "크림", "에크루",
              "오트밀", "오프화이트", "오프 화이트", "crudo", "cruda", "marfil", "natural"),
    "grey": ("grey", "gray", "gy", "charcoal", "gunmetal", "건메탈", "carbon", "카본", "melange", "heather grey", "heather gray", "그레이", "그래이",
             "회색", "차콜", "챠콜", "멜란지", "멜란지그레이", "실버", "silver", "ash", "애쉬", "gris",
             "antracita", "plata", "vigore", "grey melange", "그레이쉬"),
    "beige": ("beige", "grey beige", "gray beige", "그레이베이지", "그레이 베이지", "sand", "camel", "tan", "greige", "taupe", "stone", "khaki beige", "베이지", "샌드",
              "카멜", "그레이지", "토프", "스톤", "머쉬룸", "mushroom", "skin", "스킨", "nude", "누드",
              "camello", "arena", "piedra", "visón", "vison", "tostado", "latte", "라떼"),
    "brown": ("brown", "mocha", "chocolate", "cocoa", "coffee", "walnut", "cognac", "브라운", "갈색",
              "모카", "초코", "초콜릿", "코코아", "커피", "월넛", "코냑", "밤색", "marron", "marrón",
              "chocolate", "cuero", "tabaco", "tobacco", "chestnut"),
    "khaki": ("khaki", "kh", "olive", "olive green", "khaki green", "army green", "카키", "올리브", "카키그린",
              "올리브그린", "kaki", "caqui", "oliva"),
    "green": ("green", "mint", "sage", "forest", "emerald", "teal", "lime", "pistachio", "그린", "초록",
              "녹색", "민트", "세이지", "포레스트", "에메랄드", "라임", "피스타치오", "verde", "menta",
              "bottle green", "forest green", "dark green"),
    "navy": ("navy", "nv", "navy blue", "midnight", "midnight blue", "네이비", "남색", "곤색", "네이비블루",
             "marino", "navy melange", "dark navy"),
    "blue": ("blue", "indigo", "cobalt", "royal blue", "블루", "파랑", "파란색", "인디고", "코발트", "중청",
             "진청", "azul", "tejano", "denim blue", "tejano medio", "tejano oscuro", "tejano lavado"),
    "sky_blue": ("sky blue", "skyblue", "스카이 블루", "soda", "소다", "light blue", "baby blue", "powder blue", "pale blue", "ice blue",
                 "hazy blue", "aqua", "turquoise", "스카이블루", "스카이", "하늘색", "소라", "소라색", "연청",
                 "라이트블루", "베이비블루", "파우더블루", "터콰이즈", "celeste", "azul claro", "tejano claro",
                 "aguamarina", "turquesa", "tejano blanqueado"),
    "red": ("red", "scarlet", "tomato", "레드", "빨강", "빨간색", "적색", "rojo", "roja", "cherry red"),
    "burgundy": ("burgundy", "wine", "maroon", "bordeaux", "oxblood", "dark red", "wine red", "버건디",
                 "와인", "마룬", "보르도", "다크레드", "burdeos", "granate", "vino"),
    "pink": ("pink", "rose", "fuchsia", "magenta", "hot pink", "indi pink", "blush", "salmon", "핑크",
             "분홍", "로즈", "푸시아", "핫핑크", "인디핑크", "마젠타", "rosa", "fucsia", "salmón", "salmon pink",
             "peach", "피치", "melocoton", "melocotón"),
    "purple": ("purple", "violet", "lavender", "lilac", "plum", "mauve", "퍼플", "보라", "보라색", "바이올렛",
               "라벤더", "라일락", "모브", "morado", "malva", "lila", "violeta", "berenjena"),
    "yellow": ("yellow", "mustard", "gold", "lemon", "butter", "custard", "옐로우", "옐로", "노랑", "노란색",
               "머스타드", "겨자", "골드", "레몬", "버터", "amarillo", "mostaza", "oro", "dorado", "vainilla"),
    "orange": ("orange", "terracotta", "coral", "tangerine", "rust", "apricot", "brick", "오렌지", "주황",
               "테라코타", "코랄", "러스트", "브릭", "naranja", "coral", "teja", "caldera", "mandarina",
               "terracota", "cobre", "copper"),
}
#: Words that count only in the colour slot: elsewhere they are usually prints, materials or brands.
_SLOT_ONLY = {
    "natural", "sand", "stone", "tan", "ash", "forest", "lime", "mint", "sage", "emerald", "teal", "rose",
    "blush", "salmon", "peach", "gold", "silver", "lemon", "butter", "custard", "coral", "rust", "brick",
    "apricot", "tangerine", "coffee", "mocha", "cocoa", "chocolate", "walnut", "cognac", "wine", "plum",
    "cherry red", "tomato", "scarlet", "midnight", "aqua", "turquoise", "skin", "nude", "latte", "cream",
    "oatmeal", "melange", "camel", "olive", "mushroom", "chestnut", "tobacco", "copper", "pistachio",
    "스카이", "소라", "크림", "샌드", "스톤", "실버", "골드", "로즈", "민트", "와인", "라임", "피치", "커피", "초코",
    "모카", "레몬", "버터", "스킨", "누드", "라떼", "코냑", "월넛", "애쉬", "멜란지", "카멜", "브릭", "러스트",
    "코랄", "세이지", "포레스트", "머쉬룸", "오트밀", "토프", "tejano", "oro", "dorado", "piedra", "arena",
    "cuero", "teja", "vino", "plata", "soda", "소다", "carbon", "카본", "ebony",
    "gy", "bk", "wh", "nv", "iv", "kh",
}
#: First words of a phrase that tint the next colour instead of adding a second colour.
_TINTS = {"cream", "크림", "khaki", "카키", "ash", "애쉬", "melange", "멜란지", "olive", "올리브", "heather",
          "smoke", "그레이쉬", "dusty", "navy melange", "grey melange", "oatmeal", "오트밀", "stone", "스톤",
          "charcoal", "차콜", "챠콜", "melange grey", "sand", "샌드"}

_MODIFIERS = (
    "light", "lt", "dark", "dk", "deep", "pale", "pastel", "baby", "soft", "dusty", "muted", "bright",
    "vivid", "neon", "washed", "light washed", "vintage", "faded", "raw", "pure", "medium", "mid", "heather",
    "smoky", "smoke", "royal", "powder", "hazy", "ice", "mist", "misty", "warm", "cool", "true", "classic",
    "라이트", "다크", "딥", "연", "연한", "진한", "짙은", "페일", "파스텔", "베이비", "소프트", "더스티", "뮤트",
    "브라이트", "비비드", "네온", "워시드", "워싱", "빈티지", "페이디드", "로우", "퓨어", "미디엄", "미드", "헤더",
    "스모키", "스모크", "로얄", "파우더", "헤이지", "아이스", "웜", "쿨", "claro", "clara", "oscuro", "oscura",
    "medio", "media", "lavado", "suave", "intenso", "vigore",
)
_LIGHT = {"light", "lt", "pale", "pastel", "baby", "soft", "powder", "hazy", "ice", "mist", "misty",
          "라이트", "연", "연한", "페일", "파스텔", "베이비", "소프트", "파우더", "헤이지", "아이스", "claro", "clara"}
_DARK = {"dark", "dk", "다크", "진한", "짙은", "oscuro", "oscura"}

_MULTI = re.compile(
    r"(?<![a-z0-9])\d+\s*(?:colou?rs?|cols?|컬러|칼라|색상|색)(?![a-z])|멀티\s*컬러|multi\s*-?colou?r|"
    r"multicolou?r|rainbow|레인보우|tie[\s-]?dye|타이다이|배색\s*컬러|colou?r\s*options?|컬러\s*선택|"
    r"색상\s*선택|택\s*1"
)
_CAMO = re.compile(r"camo(?:uflage|flage)?(?![a-z])|카모|카무플라주|밀리터리\s*패턴|realtree|우드랜드")
#: Brand, band and print names that contain colour words but say nothing about the garment's colour.
_COLOUR_NAMES_NOT_COLOURS = re.compile(
    r"black\s*label|blue\s*label|white\s*label|purple\s*label|blackyak|black\s*yak|블랙\s*야크|블랙\s*라벨|"
    r"white\s*mountaineering|red\s*wing|레드\s*윙|green\s*day|pink\s*floyd|black\s*sabbath|golden\s*goose|"
    r"black\s*pink|blackpink|블랙\s*핑크|red\s*velvet|레드\s*벨벳|black\s*eyed|yellow\s*submarine|"
    r"orange\s*county|blue\s*bottle|white\s*sands|silver\s*tab|gold\s*label|red\s*tab"
)
_TRAILING_JUNK = re.compile(
    r"(?:[\s/_,:|-]*(?:[(\[]\s*)?(?:unisex|남녀공용|남여공용|공용|여성|남성|우먼즈|men|women|[0-9]+)"
    r"(?:\s*[)\]])?)+\s*$"
)
_SEPARATORS = "_-/,:|+&·"
#: Text between two colours that makes them a colour combination ('블랙/화이트', 'black & white').
_JOINER = re.compile(r"[/&+:×x·]|and|앤|with|and|과|와|,")


@dataclass(frozen=True)
class NameParse:
    """What a product name says: colour family (or None), subcategory (or None) and why not."""

    color: str | None
    subcategory: str | None
    reason: str | None = None


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    family: str
    word: str
    modifier: str | None


def _squash(text: str) -> str:
    return re.sub(r"[\s-]+", "", text)


def _trie_regex(words: list[str]) -> str:
    """One regex matching any of `words`, longest first, built as a trie (fast in Python's re).

    A space or '-' inside a word may be absent, a space or a '-' in the text."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in re.sub(r"[\s-]+", " ", word):
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [(r"[\s-]?" if char == " " else re.escape(char)) + emit(child)
                    for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    first = sorted({word[0] for word in words})
    return f"(?=[{re.escape(''.join(first))}])" + emit(trie)


#: Korean colour words that also start other words (블루종 is a jacket, 레드윙 a brand ...).
_KOREAN_GUARDS: dict[str, tuple[str, ...]] = {
    "블루": ("종",), "레드": ("윙",), "그린": ("티",), "와인": ("딩",), "카멜": ("레",), "스카이": ("다이빙",),
    "골드": ("윈",), "로즈": ("마리",), "크림": ("슨",), "초코": ("칩",), "민트": ("초코",), "라임": ("라이트",),
}


@dataclass(frozen=True)
class _ColourMatcher:
    colours: re.Pattern[str]
    ascii_modifier: re.Pattern[str]
    korean_modifier: re.Pattern[str]
    words: dict[str, tuple[str, str]]  # squashed text -> (lexicon word, family)


@lru_cache(maxsize=1)
def _matcher() -> _ColourMatcher:
    words: dict[str, tuple[str, str]] = {}
    lexicon: list[str] = []
    for family, entries in _BASIC.items():
        for entry in entries:
            word = unicodedata.normalize("NFKC", entry).lower()
            words.setdefault(_squash(word), (word, family))
            lexicon.append(word)
    ascii_mods = [m for m in _MODIFIERS if m.isascii()]
    korean_mods = [m for m in _MODIFIERS if not m.isascii()]
    return _ColourMatcher(
        colours=re.compile(_trie_regex(lexicon)),
        ascii_modifier=re.compile(rf"(?<![a-z0-9])(?:{_trie_regex(ascii_mods)})[\s-]?$"),
        korean_modifier=re.compile(rf"(?:{_trie_regex(korean_mods)})[\s-]?$"),
        words=words,
    )


def _accept(text: str, start: int, end: int, word: str) -> bool:
    """Word boundaries for ASCII words; Korean words must not start a longer non-colour word."""
    if word.isascii():
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalpha())
    return not any(text.startswith(tail, end) for tail in _KOREAN_GUARDS.get(word, ()))


def _adjust(family: str, modifier: str | None) -> str:
    if not modifier:
        return family
    modifier = re.sub(r"[\s-]+", " ", modifier).strip()
    if family == "blue" and modifier in _LIGHT:
        return "sky_blue"
    if family == "blue" and modifier in _DARK:
        return "navy"
    if family == "red" and modifier in _DARK:
        return "burgundy"
    return family


_SPACES = re.compile(r"\s+")


def normalise_text(name: str | None) -> str:
    """NFKC, lower case, one space between words."""
    text = unicodedata.normalize("NFKC", name or "").lower()
    return _SPACES.sub(" ", text).strip()


def _mentions(text: str) -> list[_Mention]:
    matcher = _matcher()
    found = []
    position = 0
    while True:
        match = matcher.colours.search(text, position)
        if match is None:
            return found
        word, family = matcher.words.get(_squash(match.group(0)), ("", ""))
        if not word or not _accept(text, match.start(), match.end(), word):
            position = match.start() + 1
            continue
        start = match.start()
        window = text[max(0, start - 16):start]
        modifier_match = matcher.ascii_modifier.search(window) or matcher.korean_modifier.search(window)
        modifier = None
        if modifier_match is not None:
            modifier = modifier_match.group(0)
            start -= len(modifier)
        found.append(_Mention(start, match.end(), _adjust(family, modifier), word, modifier))
        position = match.end()


def _phrases(text: str, mentions: list[_Mention]) -> list[list[_Mention]]:
    """Group mentions that touch (only spaces between them) into phrases."""
    phrases: list[list[_Mention]] = []
    for mention in mentions:
        if phrases and not text[phrases[-1][-1].end:mention.start].strip():
            phrases[-1].append(mention)
        else:
            phrases.append([mention])
    return phrases


def _phrase_family(phrase: list[_Mention]) -> str | None:
    """The family of one phrase, or None when it mixes two colours."""
    families = [m.family for m in phrase]
    if len(set(families)) == 1:
        return families[0]
    head = phrase[-1]
    if all(m.word in _TINTS or m.family == head.family for m in phrase[:-1]):
        return head.family
    return None


def _content_end(text: str) -> int:
    """Index where the name's content ends, ignoring trailing codes, '(남녀공용)' and the like."""
    end = len(text)
    while True:
        stripped = text[:end].rstrip(" )]")
        # trailing code tokens, e.g. '/ WBE4L10526', '(IK2FFMM408A)', '_UDCO5D121'
        match = re.search(r"[\s/_(\[-]*[(\[]?\s*(?=[a-z0-9-]*\d)[a-z0-9-]{4,}\s*[)\]]?\s*$", text[:end])
        if match and match.start() > 0:
            end = match.start()
            continue
        junk = _TRAILING_JUNK.search(text[:end])
        if junk and 0 < junk.start() < end:
            end = junk.start()
            continue
        return len(stripped) if len(stripped) < end else end


def _in_brackets(text: str, position: int) -> bool:
    depth = 0
    for char in text[:position]:
        if char in "([{":
            depth += 1
        elif char in ")]}" and depth:
            depth -= 1
    return depth > 0


def _in_slot(text: str, phrase: list[_Mention], content_end: int) -> bool:
    start, end = phrase[0].start, phrase[-1].end
    if _in_brackets(text, start):
        return True
    before = text[:start].rstrip()
    if before and before[-1] in _SEPARATORS:
        return True
    after = text[end:content_end].strip(" )].")
    return not after


def without_colour_words(name: str | None) -> str:
    """The normalised name with every colour word (and its modifier) taken out: what colour variants of
    one product share (`데이시즌 셔츠 스카이블루` and `데이시즌 셔츠 블랙` -> `데이시즌 셔츠`)."""
    text = normalise_text(name)
    for mention in reversed(_mentions(text)):
        text = text[:mention.start] + " " + text[mention.end:]
    return _SPACES.sub(" ", re.sub(r"[^\w\s]+", " ", text)).strip()


def parse_color(name: str) -> tuple[str | None, str | None]:
    """(family, None) when the name states one colour, else (None, reason)."""
    return _colour_of(normalise_text(name))


def _colour_of(text: str) -> tuple[str | None, str | None]:
    if not text:
        return None, "empty name"
    if _MULTI.search(text):
        return None, "name offers several colours"
    if _CAMO.search(text):
        return None, "camouflage print"
    text = _COLOUR_NAMES_NOT_COLOURS.sub(lambda m: " " * len(m.group(0)), text)
    mentions = _mentions(text)
    if not mentions:
        return None, "no colour word in the name"
    content_end = _content_end(text)
    phrases = _phrases(text, mentions)
    for left, right in zip(phrases, phrases[1:], strict=False):
        if _JOINER.fullmatch(text[left[-1].end:right[0].start].strip()):
            return None, "name states several colours"
    slot: set[str | None] = set()
    body: set[str | None] = set()
    for phrase in phrases:
        family = _phrase_family(phrase)
        if _in_slot(text, phrase, content_end):
            slot.add(family)
        elif len(phrase) == 1 and phrase[0].word in _SLOT_ONLY:
            continue
        else:
            body.add(family)
    chosen = slot or body
    if not chosen:
        return None, "colour words only inside print or brand names"
    if None in chosen or len(chosen) > 1:
        return None, "name states several colours"
    return next(iter(chosen)), None


# ---------------------------------------------------------------------------------------------------
# Subcategory keywords: (regex, subcategory, priority). Higher priority wins; ties: rightmost wins.
# ---------------------------------------------------------------------------------------------------
_E = r"(?<![a-z])"  # ASCII word start
_Z = r"(?![a-z])"   # ASCII word end

#: Long sleeves as sellers write them: 긴팔, 롱슬리브, L/S, LONG SLV, 롱티 (a long-sleeved tee), LST. A bare
#: 'LS' only turns a tee long (`_LONG_SLEEVE`): alone it says too little to make an item a tee.
_LONG_SLEEVE_WORDS = (rf"긴팔|긴소매|롱\s*슬리브|{_E}long\s*(?:sleeves?|slv|slvs){_Z}|{_E}longsleeves?{_Z}|"
                      rf"{_E}l/s{_Z}")

_KEYWORDS: dict[str, list[tuple[str, str, int]]] = {
    "top": [
        (rf"후드\s*티|후드|후디|{_E}hood(?:ie|y|ed)?s?{_Z}|{_E}parka hoodie", "hoodie", 6),
        (rf"맨투맨|스웨트\s*셔츠|스웻\s*셔츠|{_E}sweat\s*-?shirts?{_Z}|{_E}crew\s*neck sweat|{_E}sweatshirts?{_Z}|{_E}mtm{_Z}",
         "sweatshirt", 6),
        (rf"{_E}crew\s*-?necks?{_Z}|{_E}sweat{_Z}", "sweatshirt", 2),  # a bare 'CREWNECK' or 'SWEAT' top
        (rf"니트|스웨터|가디건|카디건|{_E}knit(?:ted|wear)?s?{_Z}|{_E}sweaters?{_Z}|{_E}cardigans?{_Z}|"
         rf"{_E}jerseys? de punto", "knit", 6),
        (rf"풀오버|{_E}pullover{_Z}", "knit", 2),
        (rf"터틀\s*넥|롤\s*넥|목\s*폴라|(?<![가-힣])폴라(?![가-힣])|{_E}pola{_Z}|{_E}turtle\s*neck|{_E}roll\s*neck|{_E}mock\s*neck", "knit", 4),
        (rf"우븐|{_E}woven{_Z}", "top_other", 3),
        (rf"폴로\s*셔츠|럭비\s*셔츠|{_E}polo\s*shirts?{_Z}|{_E}rugby\s*shirts?{_Z}|{_E}pk\s*(?:t|tee|shirts?){_Z}|피케\s*셔츠",
         "polo", 7),
        (rf"폴로|피케|카라\s*(?:티|반팔|긴팔)|럭비|{_E}polo{_Z}|{_E}pique{_Z}|{_E}rugby{_Z}|{_E}polos{_Z}",
         "polo", 6),
        (rf"(?<!티)(?<!스웨트)(?<!스웻)(?<!트)셔츠|블라우스|남방|{_E}(?<!t-)(?<!t )(?<!sweat)(?<!sweat )shirts?{_Z}|"
         rf"{_E}blouses?{_Z}|{_E}overshirts?{_Z}|{_E}camisas?{_Z}|{_E}blusas?{_Z}", "shirt", 6),
        (rf"슬리브리스|민소매|나시|탱크|{_E}sleevless{_Z}|캐미솔|캐미|홀터|뷔스티에|튜브\s*탑|{_E}sleeveless{_Z}|{_E}tank{_Z}|"
         rf"{_E}cami(?:sole)?s?{_Z}|{_E}halter{_Z}|{_E}bustier{_Z}|{_E}tube top", "sleeveless", 7),
        (rf"티셔츠|반팔\s*티|반팔|반소매|숏\s*슬리브|{_E}t[\s-]?shirts?{_Z}|{_E}tees?{_Z}|{_E}s/s{_Z}|"
         rf"{_E}short\s*sleeves?{_Z}|{_E}h/s{_Z}|(?<![가-힣])티(?![가-힣])|반팔티|크롭\s*티(?!셔)|{_E}t(?=$|[\s_\-(\[])|{_E}camisetas?{_Z}|{_E}jersey{_Z}|저지",
         "tee_short", 3),
        (rf"하프\s*슬리브|{_E}half\s*sleeves?{_Z}", "tee_short", 2),  # 'HALF SLEEVE PULLOVER' stays a knit
        (_LONG_SLEEVE_WORDS + rf"|{_E}lst{_Z}|롱\s?티(?![가-힣])", "tee_long", 4),
        (rf"(?<![가-힣])탑|{_E}tops?{_Z}|상의|{_E}bodys?{_Z}", "top_other", 1),
    ],
    "outerwear": [
        (rf"베스트|조끼|{_E}vests?{_Z}|{_E}gilets?{_Z}|{_E}chalecos?{_Z}", "vest", 9),
        (rf"후드\s*집업|후드\s*짚업|후드\s*지퍼|{_E}zip[\s-]?up hood|{_E}hood(?:ie|ed)? zip[\s-]?up|{_E}zip hoodie|"
         rf"{_E}zip[\s-]?up hoodie|{_E}zipup hoodie|후드집업", "hood_zipup", 7),
        (rf"(?<![가-힣])후드|후디|{_E}hoodie{_Z}|{_E}hoody{_Z}", "hood_zipup", 3),
        (rf"가디건|카디건|니트\s*집업|{_E}cardigans?{_Z}|{_E}knit\s*zip[\s-]?up|{_E}rebecas?{_Z}", "cardigan", 7),
        (rf"블레이저|블래이저|수트\s*자켓|수트\s*재킷|테일러드|{_E}blazers?{_Z}|{_E}suit jacket|{_E}tailored jacket|"
         rf"{_E}americanas?{_Z}", "blazer", 6),
        (rf"패딩|다운|푸퍼|구스|웰론|퍼프(?!\s*슬리브)|{_E}puff(?:er|a)s?{_Z}|{_E}down{_Z}|{_E}goose{_Z}|{_E}padded{_Z}|"
         rf"{_E}padding{_Z}|{_E}anoraks? acolchad|{_E}plum[oa]s?{_Z}|{_E}acolchad", "padding", 8),
        (rf"코트|{_E}coats?{_Z}|{_E}trench{_Z}|{_E}abrigos?{_Z}|{_E}gabardinas?{_Z}|{_E}trenchs?{_Z}|"
         rf"발마칸|{_E}overcoat", "coat", 6),
        (rf"무스탕|시어링|(?<![가-힣])퍼(?![가-힣])|에코\s*퍼|페이크\s*퍼|폭스\s*퍼|(?<![가-힣])퍼\s*(?=자켓|재킷|점퍼|후드|집업)|"
         rf"{_E}fur{_Z}|{_E}shearling{_Z}|{_E}mustang{_Z}|뽀글이", "fur_mustang", 7),
        (rf"레더|가죽|라이더|{_E}leather{_Z}|{_E}rider{_Z}|{_E}biker jacket|{_E}cuero{_Z}", "leather_jacket", 6),
        (rf"플리스|후리스|보아|{_E}fleece{_Z}|{_E}sherpa{_Z}|{_E}boa{_Z}", "fleece", 6),
        (rf"트러커|데님\s*(?:[가-힣]+\s*)?(?:자켓|재킷)|청\s*자켓|{_E}trucker{_Z}|{_E}denim(?:\s+[a-z]+)?\s+jacket|{_E}jean jacket|"
         rf"{_E}cazadoras? vaquer", "trucker_jacket", 6),
        (rf"트랙\s*탑|트랙\s*자켓|트랙\s*재킷|트레이닝\s*자켓|트레이닝\s*재킷|저지|{_E}track\s*(?:top|jacket)|"
         rf"{_E}training jacket|{_E}firebird|파이어버드|트랙탑|져지|트랙\s*집\s*업|{_E}track\s*jersey{_Z}", "track_jacket", 6),
        (rf"바람막이|윈드\s*브레이커|아노락|윈드\s*자켓|마운틴\s*파카|코치\s*자켓|코치\s*재킷|{_E}wind\s*breaker|"
         rf"{_E}anorak{_Z}|{_E}coach jacket|{_E}windbreaker|{_E}wind jacket|{_E}mountain parka|{_E}shell jacket",
         "windbreaker", 6),
        (rf"블루종|봄버|보머|항공\s*점퍼|헤링턴|해링턴|바시티|스타디움|{_E}blousons?{_Z}|{_E}bomber{_Z}|{_E}ma-?1{_Z}|"
         rf"{_E}harrington{_Z}|{_E}varsity{_Z}|{_E}stadium{_Z}|{_E}flight\s*(?:jacket|jk){_Z}|{_E}bombers?{_Z}", "blouson", 6),
        (rf"퀼팅|누빔|{_E}quilt(?:ed|ing)?{_Z}", "padding", 4),
        (rf"나일론|{_E}nylon{_Z}", "windbreaker", 3),
        (rf"자켓|재킷|쟈켓|점퍼|파카|아우터|집업|{_E}jackets?{_Z}|{_E}jumpers?{_Z}|{_E}parkas?{_Z}|{_E}zip[\s-]?up|"
         rf"{_E}cazadoras?{_Z}|{_E}chaquetas?{_Z}|{_E}sobrecamisas?{_Z}|{_E}overshirts?{_Z}", "outer_other", 1),
    ],
    "bottom": [
        (rf"부츠\s*컷|{_E}boots?\s*-?cut{_Z}|{_E}bootcut{_Z}", "denim_pants", 7),
        (rf"데님|(?<![가-힣])진스?(?![가-힣])|청바지|{_E}jeans?{_Z}|{_E}denim{_Z}|{_E}vaqueros?{_Z}", "denim_pants", 5),
        (rf"치노|카고|워크\s*팬츠|카펜터|코튼\s*팬츠|코듀로이|퍼티그|페인터|더블\s*니|파라슈트|{_E}chinos?{_Z}|"
         rf"{_E}cargos?{_Z}|{_E}carpenter{_Z}|{_E}work pants|{_E}corduroy{_Z}|{_E}fatigue{_Z}|{_E}painter{_Z}|"
         rf"{_E}double knee|{_E}parachute{_Z}", "cotton_pants", 5),
        (rf"슬랙스|트라우저|수트\s*팬츠|핀턱|테일러드|플리츠\s*팬츠|{_E}pleats?\s*(?:pants|pt){_Z}|{_E}slacks{_Z}|{_E}trousers?{_Z}|{_E}suit pants|{_E}pintuck|"
         rf"{_E}tailored pants|{_E}pantal[oó]n(?:es)? de traje", "slacks", 5),
        (rf"트레이닝|조거|스웨트\s*팬츠|스웻\s*팬츠|트랙\s*팬츠|라운지\s*팬츠|{_E}sweat\s*pants{_Z}|"
         rf"{_E}sweatpants?{_Z}|{_E}joggers?{_Z}|{_E}track\s*pants{_Z}|{_E}training{_Z}|{_E}lounge pants|"
         rf"{_E}jogging{_Z}", "training_pants", 6),
        (rf"쇼츠|숏츠|보드\s*숏|(?<![가-힣])쇼트(?![가-힣])|{_E}sweat\s*shorts?{_Z}|숏\s*팬츠|쇼트\s*팬츠|반바지|하프\s*팬츠|버뮤다|(?<![가-힣])[1-5]부|트렁크|{_E}shorts?{_Z}|"
         rf"{_E}half pants|{_E}bermudas?{_Z}|{_E}trunks?{_Z}", "shorts", 7),
        (rf"스커트|치마|스코트|{_E}skirts?{_Z}|{_E}sk{_Z}|{_E}skorts?{_Z}|{_E}faldas?{_Z}", "skirt", 8),
        (rf"원피스|드레스|{_E}dress(?:es)?{_Z}|{_E}one[\s-]?pieces?{_Z}|{_E}vestidos?{_Z}", "dress", 8),
        (rf"레깅스|타이츠|{_E}leggings?{_Z}|{_E}tights{_Z}|{_E}mallas?{_Z}", "leggings", 8),
        (rf"오버올|점프\s*수트|멜빵|{_E}overalls?{_Z}|{_E}jump\s*suits?{_Z}|{_E}dungarees{_Z}|{_E}monos?{_Z}",
         "bottom_other", 8),
        (rf"팬츠|바지|{_E}pants?{_Z}|{_E}pt{_Z}|{_E}pantal[oó]n(?:es)?{_Z}", "cotton_pants", 1),
    ],
    "shoes": [
        (rf"스니커즈|운동화|러닝화|{_E}sneakers?{_Z}|{_E}trainers?{_Z}|{_E}zapatillas?{_Z}|{_E}running shoes?",
         "sneakers", 6),
        (rf"로퍼|더비|옥스포드\s*(?:슈즈|화)|구두|힐|펌프스|메리제인|{_E}loafers?{_Z}|{_E}derby{_Z}|"
         rf"{_E}oxfords? shoes?|{_E}heels?{_Z}|{_E}pumps{_Z}|{_E}mary\s*janes?|{_E}zapatos?{_Z}|{_E}mocasines?",
         "dress_shoes", 6),
        (rf"부츠|워커|첼시|{_E}boots?{_Z}|{_E}botas?{_Z}|{_E}botines?{_Z}|{_E}chelsea{_Z}", "boots", 6),
        (rf"샌들|슬리퍼|슬라이드|뮬|쪼리|플립\s*플랍|{_E}sandals?{_Z}|{_E}slippers?{_Z}|{_E}slides?{_Z}|"
         rf"{_E}mules?{_Z}|{_E}flip[\s-]?flops?|{_E}sandalias?{_Z}|{_E}chanclas?{_Z}", "sandals", 6),
        (rf"신발|슈즈|{_E}shoes?{_Z}|{_E}calzado{_Z}", "shoes_other", 1),
    ],
    "bag": [
        (rf"백팩|배낭|{_E}back\s*packs?{_Z}|{_E}rucksacks?{_Z}|{_E}mochilas?{_Z}", "backpack", 6),
        (rf"크로스\s*백|메신저|슬링|웨이스트\s*백|힙색|{_E}cross\s*(?:body|bag){_Z}|{_E}messenger{_Z}|"
         rf"{_E}sling{_Z}|{_E}waist bag|{_E}bandolera{_Z}|{_E}riñonera{_Z}", "crossbody", 6),
        (rf"숄더\s*백|토트|에코\s*백|쇼퍼|호보|{_E}shoulder bag|{_E}totes?{_Z}|{_E}shopper{_Z}|{_E}hobo{_Z}|"
         rf"{_E}bolsos? (?:de )?hombro|{_E}tote bag", "shoulder_tote", 6),
        (rf"가방|(?<![가-힣])백(?![가-힣])|클러치|파우치|{_E}bags?{_Z}|{_E}clutch{_Z}|{_E}pouch{_Z}|{_E}bolsos?{_Z}",
         "bag_other", 1),
    ],
    "headwear": [
        (rf"볼\s*캡|야구\s*모자|(?<![가-힣])캡(?![가-힣])|스냅백|트러커\s*캡|{_E}caps?{_Z}|{_E}ball\s*cap|{_E}snapback{_Z}|"
         rf"{_E}baseball cap|{_E}gorras?{_Z}", "cap", 6),
        (rf"비니|니트\s*모자|{_E}beanies?{_Z}|{_E}gorros?{_Z}", "beanie", 6),
        (rf"버킷|벙거지|{_E}bucket{_Z}", "bucket_hat", 6),
        (rf"모자|페도라|베레모|{_E}hats?{_Z}|{_E}fedora{_Z}|{_E}beret{_Z}|{_E}sombreros?{_Z}", "hat_other", 1),
    ],
}
_LONG_SLEEVE = re.compile(_LONG_SLEEVE_WORDS + rf"|{_E}ls{_Z}|롱\s?티(?![가-힣])")


def _first_chars(pattern: str) -> set[str] | None:
    """Characters a match of `pattern` can start with (None: could not tell, or any character).

    Used to put a cheap ``(?=[...])`` in front of the big keyword regexes: Python's re then skips
    most positions after one character test instead of trying every alternative."""
    from re import _constants as c  # noqa: PLC0415 - stdlib internals, guarded by the fallback below
    from re import _parser

    def of_sequence(items: list) -> tuple[set[str] | None, bool]:
        found: set[str] = set()
        for op, arg in items:
            first, nullable = of_item(op, arg)
            if first is None:
                return None, False
            found |= first
            if not nullable:
                return found, False
        return found, True

    def of_item(op: object, arg: object) -> tuple[set[str] | None, bool]:
        if op is c.LITERAL:
            return {chr(arg)}, False
        if op is c.IN:
            chars: set[str] = set()
            for kind, value in arg:
                if kind is c.LITERAL:
                    chars.add(chr(value))
                elif kind is c.RANGE and value[1] - value[0] < 20000:
                    chars.update(chr(code) for code in range(value[0], value[1] + 1))
                else:
                    return None, False
            return chars, False
        if op is c.BRANCH:
            found: set[str] = set()
            nullable = False
            for branch in arg[1]:
                first, empty = of_sequence(list(branch))
                if first is None:
                    return None, False
                found |= first
                nullable = nullable or empty
            return found, nullable
        if op is c.SUBPATTERN:
            return of_sequence(list(arg[3]))
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            first, empty = of_sequence(list(arg[2]))
            return first, empty or arg[0] == 0
        if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
            return set(), True
        return None, False

    try:
        first, nullable = of_sequence(list(_parser.parse(pattern)))
    except Exception:  # noqa: BLE001 - an optimisation only
        return None
    return None if nullable else first


@lru_cache(maxsize=1)
def _keyword_tables() -> dict[str, tuple[re.Pattern[str], dict[str, tuple[str, int]]]]:
    """Per big class one regex of all its keywords (highest priority first, one named group each).

    One scan per name is several times faster than one scan per keyword row."""
    tables = {}
    for big, rows in _KEYWORDS.items():
        ordered = sorted(enumerate(rows), key=lambda row: -row[1][2])
        groups = {f"g{index}": (sub, priority) for index, (_p, sub, priority) in ordered}
        pattern = "|".join(f"(?P<g{index}>{regex})" for index, (regex, _s, _p) in ordered)
        first = _first_chars(pattern)
        if first:  # every English keyword starts at a word start: test that before any branch
            letters = "".join(sorted(ch for ch in first if "a" <= ch <= "z"))
            others = "".join(sorted(ch for ch in first if not "a" <= ch <= "z"))
            guard = "|".join(part for part in (f"[{re.escape(others)}]" if others else "",
                                               f"(?<![a-z])[{letters}]" if letters else "") if part)
            pattern = f"(?=(?:{guard}))(?:{pattern})"
        tables[big] = (re.compile(pattern), groups)
    return tables


#: How sources name their big categories (Korean shop, English and Spanish data sets).
BIG_CATEGORY_ALIASES: dict[str, str | None] = {
    "상의": "top", "top": "top", "tops": "top", "아우터": "outerwear", "outer": "outerwear",
    "outerwear": "outerwear", "하의": "bottom", "바지": "bottom", "bottom": "bottom", "bottoms": "bottom",
    "원피스": "bottom", "스커트": "bottom", "원피스/스커트": "bottom", "dresses": "bottom", "dress": "bottom",
    "skirts": "bottom", "신발": "shoes", "스니커즈": "shoes", "shoes": "shoes", "footwear": "shoes",
    "가방": "bag", "bag": "bag", "bags": "bag", "모자": "headwear", "headwear": "headwear", "hats": "headwear",
    "cap": "headwear",
}


def big_class_from_raw(big_category: str | None) -> str | None:
    """The big class for a source's top-level category name, or None when it names none of ours."""
    if not big_category:
        return None
    key = normalise_text(big_category)
    if key in BIG_CLASSES:
        return key
    return BIG_CATEGORY_ALIASES.get(key)


def subcategory_in(big_class: str, text: str) -> str | None:
    """The best keyword subcategory of `big_class` in normalised `text`, or None."""
    best = _best_keyword(big_class, text)
    if best is None:
        return None
    subcategory = best[2]
    if subcategory == "tee_short" and _LONG_SLEEVE.search(text):
        return "tee_long"  # '긴팔 티셔츠': the sleeve word decides the tee
    return subcategory


def _best_keyword(big_class: str, text: str) -> tuple[int, int, str] | None:
    """(priority, end, subcategory) of the strongest keyword; ties go to the rightmost."""
    pattern, groups = _keyword_tables()[big_class]
    best: tuple[int, int, str] | None = None
    position = 0
    while (match := pattern.search(text, position)) is not None:  # overlapping matches too
        subcategory, priority = groups[match.lastgroup or ""]
        candidate = (priority, match.end(), subcategory)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
        position = match.start() + 1
    return best


def guess_big_class(text: str) -> str | None:
    """The big class whose most specific keyword appears in normalised `text` (None if none does)."""
    best: tuple[int, int, str] | None = None
    for big in BIG_CLASSES:
        found = _best_keyword(big, text)
        if found is not None and (best is None or found[:2] > best[:2]):
            best = (found[0], found[1], big)
    return best[2] if best else None


def parse_subcategory(big_category: str | None, name: str) -> str | None:
    """Subcategory key from the big category as the source gives it plus the name's keywords."""
    return _subcategory_of(big_category, normalise_text(name))


def _subcategory_of(big_category: str | None, text: str) -> str | None:
    big_class = big_class_from_raw(big_category)
    if big_class is None:
        if big_category and normalise_text(big_category) not in ("", "none", "unknown"):
            return None  # a category we do not recommend (accessories, beauty ...)
        big_class = guess_big_class(text)
        if big_class is None:
            return None
    return subcategory_in(big_class, text) or OTHER_SUBCATEGORY[big_class]


def parse_name(big_category: str | None, name: str | None) -> NameParse:
    """Colour family and subcategory a product name states; never raises on bad input."""
    if not isinstance(name, str) or not name.strip():
        return NameParse(None, parse_subcategory(big_category, "") if big_category else None, "empty name")
    text = normalise_text(name)
    color, reason = _colour_of(text)
    return NameParse(color, _subcategory_of(big_category, text), reason)
