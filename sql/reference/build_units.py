#!/usr/bin/env python3
"""Build the administrative-unit reference data and the 2025 lineage.

Reads the public "vietnamese-provinces-database" export (see README.md in this
directory) and writes, next to this script:

  admin_units.csv         every unit of both eras, effective-dated
  unit_lineage.csv        old unit -> new unit pairs (the 2025 reform)
  lineage_unresolved.csv  named constituents we could not map, for an admin

Usage (from the repository root):

  python3 sql/reference/build_units.py [PATH_TO_ADMIN_UNITS_DATA]

The data path defaults to ../shared/data/admin-units relative to the
repository root. The output depends only on the input files: the same input
gives byte-identical CSV files, so a regenerated file can be diffed in review.
Python 3.11 standard library only.
"""

import csv
import difflib
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data" / "admin-units"

# Decision 19/2025/QĐ-TTg: the two-tier map starts on 01/07/2025, so the last
# day of the three-tier map is 30/06/2025.
OLD_VALID_TO = "2025-06-30"
NEW_VALID_FROM = "2025-07-01"

EXPECTED = {"new_provinces": 34, "new_communes": 3321,
            "old_provinces": 63, "old_districts": 696, "old_communes": 10035}

# Administrative types, longest first so "Thành phố" wins over shorter ones.
KINDS = {
    "province": ("Thành phố", "Tỉnh"),
    "district": ("Thành phố", "Thị xã", "Quận", "Huyện"),
    "commune": ("Thị trấn", "Đặc khu", "Phường", "Xã"),
}

# Islands whose district had no communes before the reform; they continue as
# a đặc khu of the same name, so they are linked at district level.
ISLAND_DISTRICTS = {"318", "471", "498", "536", "755"}


# ---------------------------------------------------------------------------
# Text normalisation
# ---------------------------------------------------------------------------

# Vietnamese tone marks as combining characters (NFD). Vowel-quality marks
# (breve, circumflex, horn) are NOT tones and stay part of the letter: "Băng"
# and "Bang" are different names, "Hoà" and "Hòa" are the same one.
TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def clean_text(s):
    """NFC, plain spaces, straight apostrophes: the source mixes all three."""
    s = unicodedata.normalize("NFC", s)
    s = s.replace("\u00a0", " ").replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", s).strip()


ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6",
         "vii": "7", "viii": "8", "ix": "9", "x": "10"}


def _words(name):
    name = clean_text(name).lower()
    # State farm towns are "Nông trường X" in one file and "NT X"/"N.T X" in
    # the other.
    name = re.sub(r"\bnông\s+trường\b|\bn\.\s*t\b", "nt", name)
    # Hyphens and apostrophes vary between sources ("Phương Liên - Trung Tự"
    # vs "Phương Liên Trung Tự", "M'gar" vs "M’gar"): drop them.
    name = re.sub(r"[^\w\s]", " ", name)
    # "Hòa Tú II" / "Hòa Tú 2", "Phường IV" / "Phường 4": only the last
    # word of a name is ever a numeral.
    words = name.split()
    if words and words[-1] in ROMAN:
        words[-1] = ROMAN[words[-1]]
    return words


def _spelling(word):
    # Old and new orthography also differ in i/y after a consonant ("Sỹ"/
    # "Sĩ", "Vỹ"/"Vĩ", "Quý"/"Quí"): write them all with i. Applied only to
    # the diacritic-free keys, where "uy" (Thụy) and "ay" (Tây) stay intact.
    return re.sub(r"(?<=[^aeiouy])y$|(?<=^qu)y$", "i", word)


def _tone_canonical(word):
    # Old and new orthography place the tone on different vowels ("hoà"/"hòa",
    # "thuỵ"/"thụy"). Moving the tone to the end of the word makes both
    # spellings identical while keeping "Thành" and "Thạnh" apart.
    decomposed = unicodedata.normalize("NFD", word)
    tones = "".join(c for c in decomposed if c in TONE_MARKS)
    base = "".join(c for c in decomposed if c not in TONE_MARKS)
    return unicodedata.normalize("NFC", base) + tones


def _strip_tones(word):
    decomposed = unicodedata.normalize("NFD", word)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if c not in TONE_MARKS))


def _ascii(word):
    decomposed = unicodedata.normalize("NFD", word.replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_keys(name):
    """Comparison keys for a unit name, strictest first.

    0. the spelling up to tone placement, case and punctuation;
    1. without tone marks and spaces ("Đăk"/"Đắk", "ĐamBri"/"Đam Bri");
    2. without any diacritics, đ -> d, final y -> i ("Sỹ"/"Sĩ");
    3. as 2 with "l" read as "i": the source has OCR-like "la Băng" for
       "Ia Băng" and "AI Bá" for "Al Bá".
    Numbers and trailing letters ("Cổ Nhuế 2", "Đông Hưng B") survive every
    key, so they never collapse onto each other.
    """
    words = _words(name)
    exact = " ".join(_tone_canonical(w) for w in words)
    toneless = "".join(_strip_tones(w) for w in words)
    plain = "".join(_spelling(_ascii(w)) for w in words)
    return (exact, toneless, plain, plain.replace("l", "i"))


def kind_of(full_name, level):
    """The administrative type, read from the front of the full name."""
    for kind in KINDS[level]:
        if full_name.lower().startswith(kind.lower() + " "):
            return kind
    raise ValueError(f"no {level} type in {full_name!r}")


# ---------------------------------------------------------------------------
# Units of both eras
# ---------------------------------------------------------------------------

@dataclass(eq=False)     # identity: a unit can be a dict key
class Unit:
    code: str
    level: str
    kind: str
    name: str
    full_name: str
    name_en: str
    parent_code: str
    valid_from: str
    valid_to: str
    province: str = ""          # old or new province code, for scoping
    district: str = ""          # old district code (old communes only)
    keys: tuple = ()
    repaired: str = ""          # what was fixed in the source record, if any


def make_unit(raw, level, parent, province, valid_from, valid_to,
              district=""):
    source_full_name = clean_text(raw["FullName"])
    kind = kind_of(source_full_name, level)
    # One current ward is spelt "xã ..." in lower case; the type is still Xã.
    full_name = kind + source_full_name[len(kind):]
    name = clean_text(raw["Name"])
    name_en = clean_text(raw["NameEn"])
    # One old ward has its type twice: Name "Phường Đúc", FullName "Phường
    # Phường Đúc". The name is "Đúc".
    if name.lower().startswith(kind.lower() + " "):
        name = name[len(kind) + 1:]
        full_name = f"{kind} {name}"
        name_en = name_en[len(_ascii(kind.lower())) + 1:]
    repaired = ("" if full_name == source_full_name else
                f"{level} {raw['Code']} {source_full_name!r} read as"
                f" {full_name!r}")
    return Unit(code=raw["Code"], level=level, kind=kind, name=name,
                full_name=full_name, name_en=name_en,
                parent_code=parent, valid_from=valid_from, valid_to=valid_to,
                province=province, district=district, keys=name_keys(name),
                repaired=repaired)


def load_old_units(data):
    """Pre-reform provinces, districts, communes (valid until 30/06/2025)."""
    provinces, districts, communes = [], [], []
    for p in data:
        provinces.append(make_unit(p, "province", "", p["Code"], "",
                                   OLD_VALID_TO))
        for d in p["District"]:
            districts.append(make_unit(d, "district", p["Code"], p["Code"],
                                       "", OLD_VALID_TO, district=d["Code"]))
            for w in d["Ward"] or []:   # island districts have Ward: null
                communes.append(make_unit(w, "commune", d["Code"], p["Code"],
                                          "", OLD_VALID_TO,
                                          district=d["Code"]))
    return provinces, districts, communes


def load_new_units(data):
    """Current provinces and communes (valid from 01/07/2025)."""
    provinces, communes = [], []
    for p in data:
        provinces.append(make_unit(p, "province", "", p["Code"],
                                   NEW_VALID_FROM, ""))
        for w in p["Wards"]:
            communes.append(make_unit(w, "commune", p["Code"], p["Code"],
                                      NEW_VALID_FROM, ""))
    return provinces, communes


# ---------------------------------------------------------------------------
# Province lineage
# ---------------------------------------------------------------------------

PROVINCE_ALIASES = {"tphcm": "Hồ Chí Minh", "tp hcm": "Hồ Chí Minh"}


def is_unchanged(text):
    return clean_text(text).lower().startswith("giữ nguyên")


def province_names_in(text):
    """'thành phố Cần Thơ, tỉnh Sóc Trăng và tỉnh Hậu Giang' -> names."""
    # Later sentences note 2026 changes of status ("Từ ngày 30/04/2026 ..."),
    # not constituents.
    text = clean_text(text).split(". ")[0]
    names = []
    for part in re.split(r",|\bvà\b", text):
        part = part.strip()
        alias = PROVINCE_ALIASES.get(part.lower())
        if alias:
            names.append(alias)
            continue
        part = re.sub(r"^(tỉnh|thành phố|tp\.?)\s+", "", part, flags=re.I)
        if part:
            names.append(part)
    return names


def province_lineage(merger_rows, old_provinces, new_provinces):
    """Map every old province to its successor: {old_code: new_code}."""
    by_key = {p.keys[0]: p for p in old_provinces}
    old_codes = {p.code for p in old_provinces}
    new_codes = {p.code for p in new_provinces}
    successor = {}
    for row in merger_rows:
        if len(row["ma"]) != 2:
            continue
        new = row["ma"]
        if new not in new_codes:
            raise SystemExit(f"province {new} in merger file is not current")
        if is_unchanged(row["truocsapnhap"]):
            olds = [new] if new in old_codes else []
        else:
            olds = [by_key[name_keys(n)[0]].code
                    for n in province_names_in(row["truocsapnhap"])
                    if name_keys(n)[0] in by_key]
        for old in olds:
            if successor.setdefault(old, new) != new:
                raise SystemExit(f"old province {old} has two successors")
    return successor


# ---------------------------------------------------------------------------
# Parsing the commune texts ("truocsapnhap")
# ---------------------------------------------------------------------------

# Phrases that change the scope of the names that follow them. They are
# replaced by a marker that starts a new fragment; the scope then stays in
# force until the next marker ("một phần ... của các phường A, B, C" makes
# A, B and C partial).
_OF = r"(?:\s+của)*(?:\s+các)?"
PARTIAL_RE = re.compile(
    r"(?:sắp\s+xếp\s+)?một\s+phần\s+diện\s+tích(?:\s+(?:TN|tự\s+nhiên))?"
    r"(?:\s*,?\s*(?:toàn\s+b[ộố]|một\s+phần)?\s*quy\s+mô\s+dân\s+số)?" + _OF,
    re.I)
WHOLE_RE = re.compile(
    r"toàn\s+bộ\s+diện\s+tích(?:\s+(?:TN|tự\s+nhiên))?"
    r"(?:\s*,?\s*quy\s+mô\s+dân\s+số)?" + _OF, re.I)
# "phần còn lại của" (also misspelt "còn lai", "củ" in the source).
REST_RE = re.compile(r"phần\s+còn\s+l[aạ][iị]\s+củ(?:a)?\b" + _OF, re.I)
# Bookkeeping phrases with no names in them.
NOISE_RE = re.compile(
    r"sau\s+khi\s+sắp\s+xếp(?:\s+theo\s+quy\s+định\s+tại\s+khoản\s+\d+"
    r"\s+Điều\s+này)?", re.I)
PARTIAL, WHOLE, REST = "\x01", "\x02", "\x03"

COMMUNE_PREFIX_RE = re.compile(r"^(thị\s+trấn|phường|xã)\s+", re.I)
DISTRICT_PREFIX_RE = re.compile(r"^(huyện|quận|thị\s+xã|thành\s+phố)\s+",
                                re.I)
# Parts of a commune (villages, hamlets, a firing range, a coastal strip):
# not administrative units, so nothing to link.
AREA_RE = re.compile(r"^(thôn|xóm|bản|ấp|tổ\s+dân\s+phố|khu\s+phố|khu\s+vực|"
                     r"trường\s+bắn)\b", re.I)
# "(huyện X)", "(thuộc huyện X)", "(Quận 5)", "(huyện X, tỉnh Y)".
QUALIFIER_RE = re.compile(
    r"^(?:thuộc\s+)?(huyện|quận|thị\s+xã|thành\s+phố|tp\.?)\s+([^,]+?)"
    r"(?:\s*,\s*tỉnh\s+(.+))?$", re.I)


@dataclass
class Fragment:
    """One named constituent of a new commune, as written in the text."""
    raw: str                    # the text as it appears, for the admin
    name: str = ""              # the unit name without its type prefix
    kind: str = ""              # Xã / Phường / Thị trấn if the text says so
    level: str = "commune"      # commune, district, area or noise
    partial: bool = False
    qualifier: tuple = ()       # (district kind, district name, province)


def split_top_level(text):
    """Split on commas, semicolons and the word 'và' outside parentheses."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in ",;":
            parts.append(text[start:i])
            start = i + 1
        elif depth == 0 and text.startswith(" và ", i):
            parts.append(text[start:i])
            start = i + 4
            i += 3
        i += 1
    parts.append(text[start:])
    return [p.strip() for p in parts]


def mark_scopes(text):
    text = NOISE_RE.sub(" ", clean_text(text))
    text = PARTIAL_RE.sub(", " + PARTIAL + " ", text)
    text = WHOLE_RE.sub(", " + WHOLE + " ", text)
    text = REST_RE.sub(", " + REST + " ", text)
    return text


def parse_fragment(piece, partial_scope):
    """Turn one top-level piece into a Fragment; returns (fragment, scope)."""
    while piece[:1] in (PARTIAL, WHOLE, REST):
        partial_scope = piece[0] != WHOLE
        piece = piece[1:].strip()
    frag = Fragment(raw=piece, partial=partial_scope)
    for note in re.findall(r"\(([^()]*)\)", piece):
        note = note.strip()
        qual = QUALIFIER_RE.match(note)
        if "phần" in note.lower():       # "(phần còn lại sau khi ...)"
            frag.partial = True
        elif qual:
            frag.qualifier = (qual.group(1), qual.group(2).strip(),
                              (qual.group(3) or "").strip())
    base = re.sub(r"\([^()]*\)", " ", piece)
    base = re.sub(r"^((của|các)\s+)+", "", clean_text(base), flags=re.I)
    if not base:
        frag.level = "noise"
        return frag, partial_scope
    if AREA_RE.match(base):
        frag.level, frag.name = "area", base
        return frag, partial_scope
    district = DISTRICT_PREFIX_RE.match(base)
    if district:
        frag.level, frag.kind = "district", district.group(1)
        frag.name = base[district.end():].strip()
        return frag, partial_scope
    # "phường Phường Tiên Nội": the type can be written twice.
    while (m := COMMUNE_PREFIX_RE.match(base)):
        frag.kind = m.group(1).capitalize()
        base = base[m.end():].strip()
    frag.name = base
    if not base:
        frag.level = "noise"
    return frag, partial_scope


def parse_constituents(text):
    """All fragments of one 'truocsapnhap' text, in order."""
    fragments, scope = [], False
    for piece in split_top_level(mark_scopes(text)):
        if not piece:
            continue
        frag, scope = parse_fragment(piece, scope)
        if frag.raw.strip(PARTIAL + WHOLE + REST + " "):
            fragments.append(frag)
    return fragments


# ---------------------------------------------------------------------------
# Matching fragments to old units
# ---------------------------------------------------------------------------

def strictest(hits):
    """Choose among {unit: key tier} hits: (candidates, closest spellings).

    An exact spelling (tone placement aside) wins outright. Without one,
    every looser hit stays a candidate: "Nậm Chày" is "Nậm Chảy" without
    tones but "Nậm Chầy" without any diacritics, and only the district can
    say which is meant. The strictest looser hits are kept apart as the
    tie-break of last resort.
    """
    if not hits:
        return [], []
    exact = [u for u, tier in hits.items() if tier == 0]
    if exact:
        return exact, exact
    best = min(hits.values())
    return list(hits), [u for u, tier in hits.items() if tier == best]


class OldIndex:
    """Old communes and districts, looked up by name within provinces."""

    def __init__(self, provinces, districts, communes):
        self.province_names = {p.code: p.name for p in provinces}
        self.communes = {c.code: c for c in communes}
        self.commune_keys = self._key_tables(communes)
        self.district_keys = self._key_tables(districts)
        self.sound = {c.code: sound_key(c.name) for c in communes}
        self.by_district = defaultdict(list)
        for c in communes:
            self.by_district[c.district].append(c)

    @staticmethod
    def _key_tables(units):
        tables = [defaultdict(list) for _ in name_keys("x")]
        for u in units:
            for tier, key in enumerate(u.keys):
                tables[tier][key].append(u)
        return tables

    @staticmethod
    def _hits(tables, name, scope):
        """{unit: strictest key tier that finds it} within the provinces."""
        hits = {}
        for tier, key in enumerate(name_keys(name)):
            for u in tables[tier].get(key, ()):
                if u.province in scope:
                    hits.setdefault(u, tier)
        return hits

    def commune_hits(self, name, scope):
        return self._hits(self.commune_keys, name, scope)

    def communes_named(self, name, scope):
        return strictest(self.commune_hits(name, scope))[0]

    def districts_named(self, kind, name, scope, province_name=""):
        found, _ = strictest(self._hits(self.district_keys, name, scope))
        if province_name:       # "(huyện Châu Thành, tỉnh Trà Vinh)"
            key = name_keys(province_name)[2]
            found = [d for d in found
                     if name_keys(self.province_names[d.province])[2] == key
                     ] or found
        if len(found) > 1 and kind:
            same_kind = [d for d in found
                         if d.kind.lower() == kind.lower().rstrip(".")]
            found = same_kind or found
        return found


@dataclass
class Resolution:
    """What one fragment resolved to."""
    frag: Fragment
    candidates: list = field(default_factory=list)   # old Units
    method: str = ""
    level: str = "commune"
    closest: list = field(default_factory=list)      # best-spelt candidates

    @property
    def resolved(self):
        return len(self.candidates) == 1

    @property
    def open(self):
        return self.level == "commune" and len(self.candidates) > 1

    def settle(self, unit, method):
        self.candidates, self.method = [unit], method

    def narrow(self, units, method):
        """Keep only these candidates (if any); settle if one is left."""
        if len(units) == 1:
            self.settle(units[0], method)
        elif units:
            self.candidates = units
        return len(units) == 1


def resolve_fragment(frag, index, scope):
    """First pass: a fragment on its own (name and qualifier)."""
    res = Resolution(frag)
    if frag.level == "district":
        res.level = "district"
        res.candidates = index.districts_named(frag.kind, frag.name, scope)
        res.method = "district_name"
        return res
    hits = index.commune_hits(frag.name, scope)
    if frag.qualifier:
        # The named district beats spelling: "Ea Bar (huyện Sông Hinh)" is
        # the commune spelt "EaBar" there, not the exact "Ea Bar" elsewhere.
        kind, dname, pname = frag.qualifier
        districts = {d.code for d in
                     index.districts_named(kind, dname, scope, pname)}
        inside = {u: t for u, t in hits.items() if u.district in districts}
        if inside:
            res.candidates, res.closest = strictest(inside)
            res.method = "qualifier"
            return res
    res.candidates, res.closest = strictest(hits)
    if frag.kind and not any(same_kind(c, frag) for c in res.candidates):
        # "Thị trấn Thạnh An" when the exact "Thạnh An" is a xã: the thị
        # trấn spelt "Thanh An" (tones aside) is a candidate too.
        res.candidates += [u for u, tier in hits.items()
                           if tier == 1 and same_kind(u, frag)]
    res.method = "unique_in_province" if res.resolved else ""
    return res


def same_kind(unit, frag):
    return unit.kind.lower() == frag.kind.lower()


def apply_district_hint(resolutions):
    """Ambiguous names: prefer the candidates in the old district(s) of the
    constituents that did resolve (mergers join neighbouring communes)."""
    changed = True
    while changed:
        changed = False
        seen = Counter(r.candidates[0].district for r in resolutions
                       if r.resolved and r.level == "commune")
        for r in resolutions:
            near = [c for c in r.candidates if c.district in seen]
            if not r.open or not near:
                continue
            # keep the district most siblings came from
            best = max(seen[c.district] for c in near)
            changed |= r.narrow([c for c in near if seen[c.district] == best],
                                "district_hint")


def apply_common_district(resolutions):
    """When every named constituent is ambiguous ("Phường 1, Phường 2,
    Phường 4"), take the one old district that holds a candidate for each."""
    open_ = [r for r in resolutions if r.open]
    if not open_ or any(r.resolved and r.level == "commune"
                        for r in resolutions):
        return
    common = set.intersection(*({c.district for c in r.candidates}
                                for r in open_))
    if len(common) == 1:
        for r in open_:
            r.narrow([c for c in r.candidates if c.district in common],
                     "common_district")


def apply_same_kind(resolutions):
    """'Thị trấn Chi Lăng' and 'Xã Chi Lăng' in one district: the type
    written in the text decides (only after the district, because the texts
    sometimes call a phường a xã)."""
    for r in resolutions:
        if r.open and r.frag.kind:
            r.narrow([c for c in r.candidates if same_kind(c, r.frag)],
                     "same_kind")


def apply_same_code(resolutions, new_code):
    """A merged commune keeps the code of the commune hosting its seat, so a
    candidate with the new commune's own code is the one meant."""
    for r in resolutions:
        if r.open:
            r.narrow([c for c in r.candidates if c.code == new_code],
                     "same_code")


def apply_closest_spelling(resolutions):
    """Last tie-break for a name found only through looser keys: the
    candidate spelt most like the text."""
    for r in resolutions:
        if r.open:
            r.narrow([c for c in r.closest if c in r.candidates],
                     "closest_spelling")


# Names of minority-language places are transliterated differently from one
# register to the next ("Sà Phìn"/"Xà Phìn", "Ma Li Pho"/"Ma Ly Pho", "Pú
# Bẩu"/"Pú Pẩu"). A name that matches nothing is compared loosely with every
# old commune of its provinces; the nearest is taken only when it is clearly
# nearer than the rest, or when the siblings' old districts or the new code
# single it out among the near ones.
FUZZY_MIN_RATIO = 0.8
FUZZY_MARGIN = 0.1
# Letters the registers swap for one sound (northern s/x, tr/ch, d/r/gi
# merge; k/c; j/y; b/p and doubled vowels in Central Highlands names).
SOUND_ALIKE = ((r"x", "s"), (r"tr", "ch"), (r"gi", "d"), (r"r", "d"),
               (r"k(?!h)", "c"), (r"j", "y"), (r"b", "p"),
               (r"([aeiou])\1", r"\1"))


def sound_key(name):
    """Diacritic-free key with look-alike letters folded, for scoring only."""
    key = name_keys(name)[2]
    for pattern, repl in SOUND_ALIKE:
        key = re.sub(pattern, repl, key)
    return key


def apply_fuzzy(resolutions, index, scope, new_code):
    taken = {r.candidates[0].code for r in resolutions
             if r.resolved and r.level == "commune"}
    districts = {index.communes[code].district for code in taken}
    pool = [c for c in index.communes.values()
            if c.province in scope and c.code not in taken]
    for r in resolutions:
        if r.level != "commune" or r.candidates:
            continue
        key = sound_key(r.frag.name)
        scored = [(difflib.SequenceMatcher(None, key, index.sound[c.code])
                   .ratio(), c) for c in pool]
        best = max((ratio for ratio, _ in scored), default=0.0)
        if best < FUZZY_MIN_RATIO:
            continue
        near = sorted((c for ratio, c in scored
                       if ratio > best - FUZZY_MARGIN), key=lambda c: c.code)
        for narrow in (lambda c: True, lambda c: c.district in districts,
                       lambda c: c.code == new_code):
            near = [c for c in near if narrow(c)] or near
            if len(near) == 1:
                r.settle(near[0], "fuzzy")
                pool.remove(near[0])
                break


def add_seat_commune(resolutions, new, index, scope):
    """Codes are never reused: an old commune in the same provinces with the
    new commune's code is its seat, hence a constituent, even where the text
    forgets it ('Xóm Tổng Dùn, Xã Quảng Lâm' for 01304, old Thạch Lâm)."""
    seat = index.communes.get(new.code)
    if seat is None or seat.province not in scope:
        return
    for r in resolutions:
        if r.resolved and (r.candidates[0] is seat
                           or r.level == "district"
                           and r.candidates[0].code == seat.district):
            return
    res = Resolution(Fragment(raw="(seat code)", name=seat.name))
    res.settle(seat, "seat_code")
    resolutions.append(res)


def resolve_unchanged(new, index, scope):
    """'giữ nguyên': the new commune continues one old commune, the one with
    its code if there is one, else the one with its name."""
    res = Resolution(Fragment(raw="giữ nguyên", name=new.name,
                              kind=new.kind))
    seat = index.communes.get(new.code)
    if seat is not None and seat.province in scope:
        res.settle(seat, "unchanged")
        return res
    res.candidates, res.closest = strictest(index.commune_hits(new.name,
                                                               scope))
    res.method = "unchanged" if res.resolved else ""
    return res


def apply_exclusion(all_resolutions):
    """Across the whole country: an ambiguous name whose other candidates are
    already wholly absorbed by other new communes must be the one left."""
    changed = True
    while changed:
        changed = False
        whole_owner = defaultdict(set)
        for new_code, resolutions in all_resolutions.items():
            for r in resolutions:
                if r.resolved and r.level == "commune" and not r.frag.partial:
                    whole_owner[r.candidates[0].code].add(new_code)
        for new_code, resolutions in all_resolutions.items():
            for r in resolutions:
                if r.open:
                    changed |= r.narrow(
                        [c for c in r.candidates
                         if not whole_owner[c.code] - {new_code}],
                        "exclusion")


def merge_bare_district_names(fragments, index, scope):
    """'Xã Nhị Thành, Thủ Thừa': a bare district name right after a commune
    of that district is a qualifier that lost its brackets."""
    out = []
    for frag in fragments:
        if (out and frag.level == "commune" and not frag.kind
                and not frag.qualifier and out[-1].level == "commune"
                and not out[-1].qualifier):
            districts = {d.code for d in
                         index.districts_named("", frag.name, scope)}
            previous = index.communes_named(out[-1].name, scope)
            if any(c.district in districts for c in previous):
                out[-1].qualifier = ("", frag.name, "")
                continue
        out.append(frag)
    return out


def split_run_on(frag):
    """'xã Yên Định  Xã Yên Định': two names run together without a comma.
    Only used when the whole string matches nothing."""
    pieces = re.split(r"\s+(?=(?:Xã|Phường|Thị trấn)\s+\S)", frag.name)
    out = []
    for piece in pieces if len(pieces) > 1 else ():
        sub, _ = parse_fragment(piece, frag.partial)
        sub.raw, sub.qualifier = frag.raw, frag.qualifier
        sub.kind = sub.kind or frag.kind
        out.append(sub)
    return out


def resolve_commune(new, row, index, scope):
    """All fragments of one new commune, resolved as far as the text allows.
    Returns (skipped sub-commune fragments, resolutions)."""
    text = row["truocsapnhap"]
    if is_unchanged(text):
        return [], [resolve_unchanged(new, index, scope)]
    fragments = merge_bare_district_names(parse_constituents(text),
                                          index, scope)
    skipped, resolutions = [], []
    for frag in fragments:
        if frag.level in ("area", "noise"):
            skipped.append(frag)
            continue
        res = resolve_fragment(frag, index, scope)
        parts = split_run_on(frag) if not res.candidates else []
        resolutions += ([resolve_fragment(p, index, scope) for p in parts]
                        or [res])
    # Tie-breaks, from the strongest evidence to the weakest.
    apply_district_hint(resolutions)
    apply_common_district(resolutions)
    apply_district_hint(resolutions)
    apply_same_kind(resolutions)
    apply_same_code(resolutions, new.code)
    apply_closest_spelling(resolutions)
    apply_fuzzy(resolutions, index, scope, new.code)
    apply_district_hint(resolutions)
    add_seat_commune(resolutions, new, index, scope)
    return skipped, resolutions


# ---------------------------------------------------------------------------
# Lineage rows
# ---------------------------------------------------------------------------

def lineage_rows(province_map, all_resolutions, index):
    """(old_level, old_code, new_level, new_code, partial, method) rows."""
    rows = [("province", old, "province", new, False,
             "unchanged" if old == new else "province_text")
            for old, new in province_map.items()]
    links = {}
    for new_code, resolutions in all_resolutions.items():
        for r in resolutions:
            if not r.resolved:
                continue
            unit = r.candidates[0]
            if r.level == "district":
                if unit.code in ISLAND_DISTRICTS:
                    targets = [("district", unit, "island_district")]
                else:   # a whole district became one đặc khu (Kiên Hải)
                    targets = [("commune", c, "whole_district")
                               for c in index.by_district[unit.code]]
            else:
                targets = [("commune", unit, r.method)]
            for level, old, method in targets:
                key = (level, old.code, new_code)
                if key in links:    # named twice: keep it partial if either is
                    links[key] = (links[key][0] or r.frag.partial,
                                  links[key][1])
                else:
                    links[key] = (r.frag.partial, method)
    # An old commune that feeds several new ones was split, whatever the text
    # says about it: each of its links is partial.
    fan_out = Counter((lvl, old) for lvl, old, _ in links)
    for (lvl, old, new), (partial, method) in links.items():
        rows.append((lvl, old, "commune", new,
                     partial or fan_out[(lvl, old)] > 1, method))
    return sorted(rows, key=lambda r: (LEVEL_ORDER[r[0]], r[1], r[3]))


def unresolved_rows(all_resolutions, texts):
    rows = []
    for new_code, resolutions in all_resolutions.items():
        for r in resolutions:
            if r.resolved:
                continue
            reason = "ambiguous" if r.candidates else "unmatched"
            codes = " ".join(sorted(c.code for c in r.candidates))
            rows.append((new_code, clean_text(r.frag.raw), reason, codes,
                         clean_text(texts[new_code])))
    return rows


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------

LEVEL_ORDER = {"province": 0, "district": 1, "commune": 2}


def write_csv(path, header, rows):
    # newline="" + csv's default "\r\n" terminator: RFC 4180 line endings.
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["true" if v is True else "false" if v is False
                             else unicodedata.normalize("NFC", str(v))
                             for v in row])


def unit_csv_rows(units):
    ordered = sorted(units, key=lambda u: (u.valid_from != "",
                                           LEVEL_ORDER[u.level], u.code))
    return [(u.code, u.level, u.kind, u.name, u.full_name, u.name_en,
             u.parent_code, u.valid_from, u.valid_to) for u in ordered]


# ---------------------------------------------------------------------------
# Checks and report
# ---------------------------------------------------------------------------

def check(condition, message):
    if not condition:
        raise SystemExit("sanity check failed: " + message)


def sanity_checks(units, province_map, lineage, old_provinces):
    counts = Counter((u.level, u.valid_from == "") for u in units)
    check(counts[("province", False)] == EXPECTED["new_provinces"],
          "34 current provinces")
    check(counts[("commune", False)] == EXPECTED["new_communes"],
          "3,321 current communes")
    check(counts[("province", True)] == EXPECTED["old_provinces"],
          "63 old provinces")
    check(counts[("district", True)] == EXPECTED["old_districts"],
          "696 old districts")
    check(counts[("commune", True)] == EXPECTED["old_communes"],
          "10,035 old communes")
    check(set(province_map) == {p.code for p in old_provinces},
          "every old province has a successor")
    identities = Counter((u.level, u.code, u.valid_from) for u in units)
    check(max(identities.values()) == 1, "(level, code, valid_from) unique")
    current = {(u.level, u.code) for u in units if u.valid_from}
    old = {(u.level, u.code) for u in units if not u.valid_from}
    for old_level, old_code, new_level, new_code, _, _ in lineage:
        check((new_level, new_code) in current,
              f"lineage target {new_level} {new_code} is a current unit")
        check((old_level, old_code) in old,
              f"lineage source {old_level} {old_code} is a pre-reform unit")
    pairs = Counter(row[:4] for row in lineage)
    check(max(pairs.values()) == 1, "no duplicate (old, new) pairs")
    for old, new in (("77", "79"), ("87", "82"), ("22", "22"), ("58", "56"),
                     ("74", "79")):
        check(province_map.get(old) == new, f"province {old} -> {new}")


def report(lineage, unresolved, old_communes, new_communes, skipped,
           data_notes):
    matched = {r[1] for r in lineage if r[0] == "commune"}
    with_links = {r[3] for r in lineage if r[2] == "commune"}
    zero = [c.code for c in new_communes if c.code not in with_links]
    reasons = Counter(r[2] for r in unresolved)
    methods = Counter(r[5] for r in lineage if r[2] == "commune")
    total = len(old_communes)
    lines = [
        "match report",
        f"  old communes matched        {len(matched):6,} of {total:,}"
        f" ({100 * len(matched) / total:.1f}%)",
        f"  lineage rows                {len(lineage):6,}"
        f" (provinces {sum(r[0] == 'province' for r in lineage)},"
        f" island districts {sum(r[0] == 'district' for r in lineage)})",
        f"  partial links               "
        f"{sum(1 for r in lineage if r[4]):6,}",
        f"  unmatched fragments         {reasons['unmatched']:6,}",
        f"  ambiguous fragments         {reasons['ambiguous']:6,}",
        f"  new communes with no link   {len(zero):6,}"
        + (f"  ({' '.join(zero)})" if zero else ""),
        f"  sub-commune areas skipped   {len(skipped):6,}"
        " (thôn, xóm, firing range: not units)",
        "  links by method             "
        + ", ".join(f"{m} {n}" for m, n in sorted(methods.items())),
    ]
    lines += [f"  data note: {note}" for note in data_notes]
    print("\n".join(lines))


# ---------------------------------------------------------------------------

def match_merger_rows(merger, new_communes):
    """Pair each commune row of the merger file with a current commune.

    By code; a row whose code is not current is paired by province and name
    (the source has 00071 for Phường Hiệp Hòa, Quảng Ninh, which is 07147).
    """
    by_code = {c.code: c for c in new_communes}
    by_name = {(c.province, c.kind.lower(), c.keys[0]): c
               for c in new_communes}
    pairs, notes = {}, []
    for row in merger:
        if len(row["ma"]) != 5:
            continue
        unit = by_code.get(row["ma"])
        if unit is None:
            full = clean_text(row["ten"])
            kind = kind_of(full, "commune")
            unit = by_name.get((row["magoc"], kind.lower(),
                                name_keys(full[len(kind):])[0]))
            check(unit is not None, f"merger row {row['ma']} has no unit")
            notes.append(f"merger row {row['ma']} {full} is current unit"
                         f" {unit.code}")
        check(unit.code not in pairs, f"two merger rows for {unit.code}")
        pairs[unit.code] = row
    check(len(pairs) == len(new_communes), "a merger row per new commune")
    return pairs, notes


def main(argv):
    data_dir = Path(argv[1]) if len(argv) > 1 else DEFAULT_DATA

    def load(name):
        return json.loads((data_dir / name).read_text(encoding="utf-8"))

    old_p, old_d, old_c = load_old_units(
        load("units_2025-03_pre_reform.json"))
    new_p, new_c = load_new_units(load("units_2026.json"))
    merger = load("merger_2025_before_after.json")

    province_map = province_lineage(merger, old_p, new_p)
    old_by_new = defaultdict(set)
    for old, new in province_map.items():
        old_by_new[new].add(old)

    index = OldIndex(old_p, old_d, old_c)
    rows_by_code, data_notes = match_merger_rows(merger, new_c)

    all_resolutions, skipped = {}, []
    for new in sorted(new_c, key=lambda c: c.code):
        scope = old_by_new[new.province]
        s, all_resolutions[new.code] = resolve_commune(
            new, rows_by_code[new.code], index, scope)
        skipped += s
    apply_exclusion(all_resolutions)

    units = old_p + old_d + old_c + new_p + new_c
    data_notes += [u.repaired for u in units if u.repaired]
    lineage = lineage_rows(province_map, all_resolutions, index)
    texts = {code: row["truocsapnhap"] for code, row in rows_by_code.items()}
    unresolved = unresolved_rows(all_resolutions, texts)
    sanity_checks(units, province_map, lineage, old_p)

    write_csv(HERE / "admin_units.csv",
              ("code", "level", "kind", "name", "full_name", "name_en",
               "parent_code", "valid_from", "valid_to"), unit_csv_rows(units))
    write_csv(HERE / "unit_lineage.csv",
              ("old_level", "old_code", "new_level", "new_code", "partial",
               "method"), lineage)
    write_csv(HERE / "lineage_unresolved.csv",
              ("new_code", "fragment", "reason", "candidates", "source_text"),
              unresolved)
    report(lineage, unresolved, old_c, new_c, skipped, data_notes)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
