"""Name normalisation."""

from __future__ import annotations

import pytest

from screening.engine import normalize_name
from screening.engine.normalize import make_token
from screening.engine.similarity import SOUND_SIMILARITY, token_similarity


def _text(name: str, entity_type: str | None = None) -> str:
    return normalize_name(name, entity_type).text


@pytest.mark.parametrize(
    ("name", "entity_type", "expected"),
    [
        ("José MÜLLER-Ñúñez", "individual", "jose mullernunez"),
        ("AL-SHAAR, Mohammad Ibrahim", "individual", "mohammad ibrahim al shaar"),
        ("Сергей Викторович Иванов", None, "sergey viktorovich ivanov"),
        ("Fathi Mohammed QAR'AWI", "individual", "fathi mohammed qarawi"),
        ("习近平", None, "xi jin ping"),
        ("ANGLO-CARIBBEAN CO., LTD.", "entity", "anglocaribbean co ltd"),
        # A hyphenated given name is one name even when a part looks like a Romance particle;
        # Arabic articles are written with a hyphen and stay apart.
        ("CHOI, Da-eun", "individual", "daeun choi"),
        ("Abu al-Hassan", "individual", "abu al hassan"),
        ("T.E.G. LIMITED", "entity", "teg limited"),
        ("Academy of Aerospace Technology (AASPT)", "entity", "academy of aerospace technology"),
        ("J. R. Smith", "individual", "j r smith"),
    ],
)
def test_normalised_text(name: str, entity_type: str | None, expected: str) -> None:
    assert _text(name, entity_type) == expected


def test_last_first_is_reordered_for_people_only() -> None:
    person = normalize_name("RIM, Ryong Nam", "individual")
    assert person.reordered
    assert person.given_count == 2
    company = normalize_name("2904977 CANADA, INC.", None)
    assert not company.reordered
    assert company.text == "2904977 canada inc"


def test_legal_forms_are_recognised_and_marked() -> None:
    name = normalize_name("COMPLEJO TURISTICO OASIS, S.A. DE C.V.", "entity")
    assert name.legal_forms == ("s a de c v",)
    assert [t.kind for t in name.tokens] == ["word", "word", "word", "legal", "legal", "legal"]
    russian = normalize_name("OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU FERTOING", "entity")
    assert russian.legal_forms == ("obshchestvo s ogranichennoi otvetstvennostyu",)
    assert [t.text for t in russian.tokens if t.kind == "word"] == ["fertoing"]
    reordered = normalize_name("Company Liability Limited Diapazon", None)
    assert [t.kind for t in reordered.tokens] == ["legal", "legal", "legal", "word"]


def test_transliteration_variants_share_a_key() -> None:
    keys = {normalize_name(n).tokens[0].key for n in ("Mohammed", "Muhammad", "Mohamed", "Mehmet")}
    assert keys == {"muhammad"}
    assert normalize_name("Sergei").tokens[0].key == normalize_name("Sergey").tokens[0].key
    assert normalize_name("Yury").tokens[0].key == normalize_name("Iouri").tokens[0].key
    assert normalize_name("Husayn").tokens[0].key == normalize_name("Hussein").tokens[0].key


def test_arabic_script_is_compared_by_consonants() -> None:
    name = normalize_name("محمد حسين التكريتي")
    assert [t.text for t in name.tokens] == ["mhmd", "hsyn", "al", "tkryty"]
    assert all(t.abjad for t in name.tokens)
    assert name.tokens[0].skeleton == normalize_name("Muhammad").tokens[0].skeleton
    assert name.tokens[2].kind == "particle"


def test_initials_and_particles() -> None:
    name = normalize_name("Dr. J. van der Berg", "individual")
    assert [(t.text, t.kind) for t in name.tokens] == [
        ("dr", "particle"),
        ("j", "initial"),
        ("van", "particle"),
        ("der", "particle"),
        ("berg", "word"),
    ]


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("becheer", "bechir", True),
        ("ghaith", "ghayth", True),
        ("shoon", "shun", True),
        ("abbasee", "abbasi", True),
        ("karimi", "karami", False),  # another vowel: another name
        ("hashmi", "hashim", False),
        ("najjar", "hajjar", False),
    ],
)
def test_transliterated_vowel_spellings_sound_the_same(first: str, second: str, same: bool) -> None:
    one, two = make_token(first, "word"), make_token(second, "word")
    assert (one.sound == two.sound) is same
    similarity, reason = token_similarity(one, two)
    if same:
        assert (similarity, reason) == (SOUND_SIMILARITY, "same sound")
    else:
        assert reason != "same sound"
