import re
import unicodedata

# Dots vanish ("S.A.S." -> "sas"); any other punctuation separates words ("Coca-Cola" -> "coca cola").
_DOTS = re.compile(r"[.·]")
_NOT_WORD = re.compile(r"[^\w]+")
# A period ending a sentence right after a name that already ends with one ("… S.A.S..").
_DOUBLE_PERIOD = re.compile(r"(?<!\.)\.\.(?!\.)")


def search_normalize(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: "Peña  S.A.S." -> "pena sas"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return " ".join(_NOT_WORD.sub(" ", _DOTS.sub("", stripped)).replace("_", " ").split())


def search_words(text: str) -> list[str]:
    """The words of a search, each matched anywhere: "Cafetal, Bucaramanga" -> ["cafetal", "bucaramanga"]."""
    return search_normalize(text).split()


def end_sentence(text: str) -> str:
    """One final period where a name ending in "." closes a sentence: "… S.A.S.." -> "… S.A.S."."""
    return _DOUBLE_PERIOD.sub(".", str(text))
