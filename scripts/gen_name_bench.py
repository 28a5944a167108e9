#!/usr/bin/env python3
"""Generates the name benchmark of `benches/screening_names.rs` (issue 13, item 7).

Writes `benches/data/names/negatives.tsv` (real names of people and companies that are on no
list) and `benches/data/names/positives.tsv` (UN-listed people and entities in the spellings real
documents and real transliteration tables give), deterministically: fixed seeds, sorted output.

Pinned PyPI packages (install into a venv, e.g. /tmp/benchvenv):

    python3 -m venv /tmp/benchvenv
    /tmp/benchvenv/bin/pip install faker==40.54.0 egy-names==0.3.6 pytickersymbols==1.17.10 \
        iuliia==0.13.0 korean-romanizer==0.28.0

Run (the lists are read to drop negatives that are list names and to make the positives):

    EMBARGO_SHARED=/work/shared /tmp/benchvenv/bin/python scripts/gen_name_bench.py
    EMBARGO_SHARED=/work/shared /tmp/benchvenv/bin/python scripts/gen_name_bench.py --check

`--check` regenerates into memory and exits 1 if the committed files differ.

No name is written by hand: people come from Faker's locale name lists (first names x last
names, combined by Faker's own formats) and egy-names' Egyptian name book, companies from
pytickersymbols (real listed companies); positives are OFAC's own spellings of UN-listed people
(linked by identical passport or national ID numbers; the TSV holds only the OFAC reference, the
bench reads the name from $EMBARGO_SHARED) and the UN's NAME_ORIGINAL_SCRIPT romanised by
egy-names (Arabic) and iuliia (Cyrillic).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

VERSIONS = {
    "faker": "40.54.0",
    "egy-names": "0.3.6",
    "pytickersymbols": "1.17.10",
    "iuliia": "0.13.0",
    "korean-romanizer": "0.28.0",
}

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benches" / "data" / "names"
UN_XML = "data/un/consolidated-2026-05-08.xml"

# Faker locales with real person-name lists (ar_EG, ar_AE, ar_JO, ar_BH fall back to English
# names in Faker 40, so Arabic people come from ar_SA, ar_PS and egy-names). Country: ISO alpha-2.
LOCALES = [
    ("ar_SA", "SA"), ("ar_PS", "PS"), ("fa_IR", "IR"), ("ko_KR", "KR"), ("zh_CN", "CN"),
    ("zh_TW", "TW"), ("ja_JP", "JP"), ("ru_RU", "RU"), ("uk_UA", "UA"), ("en_US", "US"),
    ("en_GB", "GB"), ("fr_FR", "FR"), ("de_DE", "DE"), ("es_ES", "ES"), ("es_MX", "MX"),
    ("it_IT", "IT"), ("pt_BR", "BR"), ("tr_TR", "TR"), ("pl_PL", "PL"), ("nl_NL", "NL"),
    ("hi_IN", "IN"), ("id_ID", "ID"), ("vi_VN", "VN"), ("he_IL", "IL"), ("az_AZ", "AZ"),
    ("hy_AM", "AM"), ("ka_GE", "GE"), ("th_TH", "TH"), ("el_GR", "GR"), ("bg_BG", "BG"),
]
PER_LOCALE = 80
EGY_NAMES = 200
COMPANIES = 1000
SEED = 13007


def shared() -> Path:
    root = os.environ.get("EMBARGO_SHARED")
    if not root:
        sys.exit("EMBARGO_SHARED is not set (the folder holding data/un and data/ofac)")
    return Path(root)


def norm(name: str) -> str:
    """Lower-case ASCII-folded words, sorted: a name equal to a list name under this is dropped"""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    words = re.findall(r"\w+", folded)
    return " ".join(sorted(words))


def has_script(text: str, script: str) -> bool:
    return any(c.isalpha() and unicodedata.name(c, "").startswith(script) for c in text)


# ---------------------------------------------------------------------------------------------
# Lists


def country_codes(root: Path) -> dict[str, str]:
    codes: dict[str, str] = {}
    with open(root / "data/iso3166/country-codes.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            a2 = row["ISO3166-1-Alpha-2"].strip()
            if len(a2) != 2:
                continue
            for col in ("official_name_en", "UNTERM English Short", "CLDR display name"):
                name = row.get(col, "").strip().lower()
                if name:
                    codes.setdefault(name, a2)
                    codes.setdefault(re.sub(r"^the ", "", re.sub(r" \(the\)$", "", name)), a2)
    return codes


def un_entries(root: Path) -> list[dict]:
    tree = ET.parse(root / UN_XML)
    entries = []
    for el in tree.getroot().iter():
        if el.tag not in ("INDIVIDUAL", "ENTITY"):
            continue
        parts = [
            (el.findtext(t) or "").strip()
            for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
        ]
        name = " ".join(p for p in parts if p)
        aliases = [
            (a.findtext("ALIAS_NAME") or "").strip()
            for a in el.findall(f"{el.tag}_ALIAS")
        ]
        docs = []
        for d in el.findall("INDIVIDUAL_DOCUMENT"):
            number = re.sub(r"[^0-9A-Z]", "", (d.findtext("NUMBER") or "").upper())
            if len(number) >= 5:
                docs.append(number)
        # The country a payee would be given: the nationality, else the address's or the
        # place of birth's country
        nationality = [(v.text or "").strip() for v in el.findall("NATIONALITY/VALUE")]
        for path in (f"{el.tag}_ADDRESS/COUNTRY", "INDIVIDUAL_PLACE_OF_BIRTH/COUNTRY"):
            nationality += [(v.text or "").strip() for v in el.findall(path)]
        entries.append(
            {
                "ref": (el.findtext("REFERENCE_NUMBER") or "").strip(),
                "kind": "person" if el.tag == "INDIVIDUAL" else "company",
                "name": name,
                "aliases": [a for a in aliases if a],
                "original": (el.findtext("NAME_ORIGINAL_SCRIPT") or "").strip(),
                "docs": docs,
                "nationality": [n for n in nationality if n],
            }
        )
    return entries


def ofac_rows(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="latin-1").replace("\x1a", "")
    rows = []
    for row in csv.reader(io.StringIO(text)):
        if row:
            rows.append([c.strip() for c in row])
    return rows


def ofac(root: Path) -> tuple[dict[str, list[str]], dict[str, list[tuple[str, str, str]]]]:
    """SDN rows by ent_num, alt rows (alt_num, type, name) by ent_num"""
    sdn = {r[0]: r for r in ofac_rows(root / "data/ofac/sdn.csv") if len(r) >= 12}
    alts: dict[str, list[tuple[str, str, str]]] = {}
    for r in ofac_rows(root / "data/ofac/alt.csv"):
        if len(r) >= 4:
            alts.setdefault(r[0], []).append((r[1], r[2], r[3]))
    return sdn, alts


DOC_RE = re.compile(r"(?:Passport|National ID No\.|Identification Number)\s+([0-9A-Za-z/ -]+?)(?:\s*\(|;|\.$|$)")


def ofac_docs(remarks: str) -> list[str]:
    out = []
    for m in DOC_RE.finditer(remarks):
        number = re.sub(r"[^0-9A-Z]", "", m.group(1).upper())
        if len(number) >= 5:
            out.append(number)
    return out


def ofac_name(name: str, kind: str) -> str:
    """`LAST, First` as a payment writes it, `First LAST` (what the bench does too)"""
    if kind == "person" and ", " in name:
        last, first = name.split(", ", 1)
        return f"{first} {last}"
    return name


# ---------------------------------------------------------------------------------------------
# Negatives


def faker_people() -> list[tuple[str, str, str, str]]:
    from faker import Faker
    from korean_romanizer.romanizer import Romanizer
    import iuliia

    out = []
    for i, (locale, country) in enumerate(LOCALES):
        fake = Faker(locale)
        fake.seed_instance(SEED + i)
        provider = next(p for p in fake.providers if hasattr(p, "first_name") and hasattr(p, "formats"))
        formats = [f for f in _formats(provider) if "prefix" not in f and "suffix" not in f]
        for _ in range(PER_LOCALE):
            fmt = fake.random_element(formats)
            name = " ".join(fake.parse(fmt).split())
            out.append((name, "person", country, f"faker:{locale}"))
        # Romanised: what the locale offers, else a registry transliteration of the same names
        if hasattr(fake, "romanized_name"):
            for _ in range(PER_LOCALE):
                out.append((fake.romanized_name(), "person", country, f"faker:{locale}:romanized"))
        elif locale == "ko_KR":
            for _ in range(PER_LOCALE):
                native = fake.last_name() + fake.first_name()
                last, first = Romanizer(native[0]).romanize(), Romanizer(native[1:]).romanize()
                out.append(
                    (f"{last.capitalize()} {first.capitalize()}", "person", country,
                     f"faker:{locale}+korean-romanizer")
                )
        elif locale == "ru_RU":
            for _ in range(PER_LOCALE):
                native = " ".join(fake.parse(fake.random_element(formats)).split())
                out.append(
                    (iuliia.ICAO_DOC_9303.translate(native), "person", country,
                     f"faker:{locale}+iuliia:icao_doc_9303")
                )
    return out


def _formats(provider) -> list[str]:
    formats = []
    for attr in ("formats", "formats_male", "formats_female"):
        value = getattr(provider, attr, None)
        if isinstance(value, dict):
            formats.extend(value.keys())
        elif isinstance(value, (list, tuple)):
            formats.extend(value)
    return sorted(set(formats))


def egy_people() -> list[tuple[str, str, str, str]]:
    from egy_names import EgyNames

    out = []
    for g in EgyNames().generate(count=EGY_NAMES, seed=SEED, length=3):
        out.append((g.ar, "person", "EG", "egy-names"))
        out.append((g.en, "person", "EG", "egy-names:en"))
    return out


US_STATES_RE = re.compile(r", [A-Z][a-z]+( [A-Z][a-z]+)?$")


def companies() -> list[tuple[str, str, str, str]]:
    from pytickersymbols import PyTickerSymbols

    seen = {}
    for stock in PyTickerSymbols().get_all_stocks():
        name = " ".join((stock.get("name") or "").split())
        isins = [i for i in stock.get("isins") or [] if re.match(r"^[A-Z]{2}", i)]
        # The issuer's country: the ISIN's prefix (XS and the like are not countries)
        country = isins[0][:2] if isins and not isins[0].startswith(("XS", "XC", "EU")) else ""
        if name and name not in seen:
            seen[name] = country
    rng = random.Random(SEED)
    names = sorted(seen)
    chosen = sorted(rng.sample(names, min(COMPANIES, len(names))))
    return [(n, "company", seen[n], "pytickersymbols") for n in chosen]


def negatives(un: list[dict], sdn, alts) -> tuple[list[tuple[str, str, str, str]], int]:
    listed = set()
    for e in un:
        for n in [e["name"], e["original"], *e["aliases"]]:
            if n:
                listed.add(norm(n))
    for ent, row in sdn.items():
        listed.add(norm(row[1]))
        listed.add(norm(ofac_name(row[1], "person")))
        for _, _, a in alts.get(ent, []):
            listed.add(norm(a))
    rows = faker_people() + egy_people() + companies()
    kept, seen, removed = [], set(), 0
    for row in rows:
        key = (row[0], row[1])
        if key in seen or not row[0].strip():
            continue
        seen.add(key)
        if norm(row[0]) in listed:
            removed += 1
            print(f"removed (a list name): {row[0]} [{row[3]}]", file=sys.stderr)
            continue
        kept.append(row)
    kept.sort()
    return kept, removed


# ---------------------------------------------------------------------------------------------
# Positives


def positives(un: list[dict], sdn, alts, codes) -> tuple[list[tuple[str, ...]], dict[str, int]]:
    from egy_names import translate
    import iuliia

    out: set[tuple[str, ...]] = set()
    skipped = {"ofac_same_as_un": 0, "arabic_untranslated": 0}
    # OFAC spellings of UN-listed people, linked by a passport or national ID number
    by_doc: dict[str, list[str]] = {}
    for ent, row in sdn.items():
        if row[2] != "individual":
            continue
        for d in ofac_docs(row[11]):
            by_doc.setdefault(d, []).append(ent)
    # A number the UN list gives to more than one entry (IRi.003 and IRi.041 share two passport
    # numbers) links nothing
    holders: dict[str, set[str]] = {}
    for e in un:
        for d in e["docs"]:
            holders.setdefault(d, set()).add(e["ref"])
    for e in un:
        if e["kind"] != "person" or not e["docs"]:
            continue
        country = country_of(e, codes)
        e = {**e, "docs": [d for d in e["docs"] if len(holders[d]) == 1]}
        un_names = {norm(n) for n in [e["name"], *e["aliases"]]}
        ents = sorted({ent for d in e["docs"] for ent in by_doc.get(d, [])}, key=int)
        for ent in ents:
            cands = [(f"ofac:sdn:{ent}", sdn[ent][1])]
            for alt_num, alt_type, alt in alts.get(ent, []):
                if alt_type in ("aka", "fka"):
                    cands.append((f"ofac:alt:{ent}:{alt_num}", alt))
            for ref, name in cands:
                if norm(ofac_name(name, "person")) in un_names:
                    skipped["ofac_same_as_un"] += 1
                    continue
                out.add((e["ref"], ref, "person", country, "ofac-linked-by-document"))
    # UN NAME_ORIGINAL_SCRIPT, romanised by registry packages
    schemas = [
        ("gost_7034", iuliia.GOST_7034),
        ("bgn_pcgn", iuliia.BGN_PCGN),
        ("icao_doc_9303", iuliia.ICAO_DOC_9303),
        ("mvd_782", iuliia.MVD_782),
    ]
    for e in un:
        original = e["original"]
        if not original:
            continue
        country = country_of(e, codes)
        if has_script(original, "CYRILLIC"):
            for label, schema in schemas:
                name = schema.translate(original)
                out.add((e["ref"], name, e["kind"], country, f"iuliia:{label}"))
        elif has_script(original, "ARABIC"):
            name = translate(original, to="en")
            if has_script(name, "ARABIC"):
                skipped["arabic_untranslated"] += 1
                continue
            out.add((e["ref"], name, e["kind"], country, "egy-names:translate"))
    # One row per spelling: the schemas that give the same string are named together
    methods: dict[tuple[str, ...], list[str]] = {}
    for row in out:
        methods.setdefault(row[:4], []).append(row[4])
    rows = [(*key, ",".join(sorted(m))) for key, m in methods.items()]
    return sorted(rows), skipped


def country_of(e: dict, codes: dict[str, str]) -> str:
    for n in e["nationality"]:
        code = codes.get(n.lower()) or codes.get(re.sub(r"^the ", "", n.lower()))
        if code:
            return code
    return ""


# ---------------------------------------------------------------------------------------------


def tsv(header: list[str], rows) -> str:
    buf = io.StringIO()
    buf.write("\t".join(header) + "\n")
    for row in rows:
        buf.write("\t".join(c.replace("\t", " ").replace("\n", " ") for c in row) + "\n")
    return buf.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed files differ")
    args = parser.parse_args()

    from importlib.metadata import version

    for pkg, want in VERSIONS.items():
        have = version(pkg)
        if have != want:
            sys.exit(f"{pkg} {have} installed, the benchmark pins {want}")

    root = shared()
    un = un_entries(root)
    sdn, alts = ofac(root)
    codes = country_codes(root)
    neg, removed = negatives(un, sdn, alts)
    pos, skipped = positives(un, sdn, alts, codes)
    files = {
        "negatives.tsv": tsv(["name", "kind", "country", "source"], neg),
        "positives.tsv": tsv(["un_ref", "name", "kind", "country", "method"], pos),
    }
    print(
        f"negatives: {len(neg)} ({removed} removed as list names); positives: {len(pos)} "
        f"(skipped: {skipped})",
        file=sys.stderr,
    )
    if args.check:
        bad = [f for f, text in files.items() if not (OUT / f).exists() or (OUT / f).read_text(encoding="utf-8") != text]
        if bad:
            print(f"differ from the generator's output: {', '.join(bad)}", file=sys.stderr)
            return 1
        print("benchmark files are up to date", file=sys.stderr)
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    for f, text in files.items():
        (OUT / f).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
