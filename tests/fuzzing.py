"""Property-style checks for spreadsheet parsers: random, truncated and mutated CSV and XLSX files.

A parser of uploaded files must end every input in a result or in its own file-level exception, never in
another one (which the page would show as a server error). `fuzz_parser` feeds it mutations of a few
good files, deterministically (a fixed seed), and fails listing every case that ended otherwise, with
what it did to the file so that the case can be reproduced:

    fuzz_parser(lambda name, data: parse_spreadsheet(file_name=name, data=data), FileProblem,
                seeds=[("a.csv", csv_data), ("a.xlsx", deterministic_zip(xlsx_data))], cases=2000)

It is meant for every such parser (the companies import, the journal import).
"""

import io
import random
import re
import traceback
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

FIXED_DATE = (2026, 1, 1, 0, 0, 0)
ISO_DATETIME = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
# Files grow with the mutations up to a little more than an upload may have (parsers refuse 5 MB).
MAX_FILE_BYTES = 6 * 1024 * 1024
# Bytes that parsers of text and XML trip on.
NASTY_BYTES = [
    b"\x00",
    b'"',
    b";",
    b",",
    b"\t",
    b"\r",
    b"\n",
    b"\r\n",
    b"\xff",
    b"\xfe",
    b"\xc3",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\x1a",
    b"\x0b",
    b"=",
    b"'",
    b"&#0;",
    b"&amp;",
    b"<",
    b">",
    b"_x0000_",
    "ñ".encode(),
    "€".encode("cp1252"),
    "\U0001f600".encode(),
]
# Values for XML attributes of a sheet: cell references, row numbers, cell types, styles.
NASTY_ATTRIBUTES = [
    "abc",
    "",
    "0",
    "-1",
    "1.5",
    "1048576",
    "1048577",
    "99999999999999999999",
    "A0",
    "ZZZZZZ3",
    "XFD1",
    "A1048576",
    "s",
    "n",
    "d",
    "b",
    "e",
    "str",
    "inlineStr",
    "zz",
]
# Texts for cell values: numbers that are not, dates that are not, out-of-range shared-string indexes.
NASTY_VALUES = ["abc", "", "-1", "1e400", "nan", "99999999", "2026-13-45", "hola", "&#0;", "_x0000_", "0x10"]


@dataclass
class Case:
    number: int
    file_name: str
    data: bytes
    mutation: str


@dataclass
class Failure:
    case: Case
    error: str

    def __str__(self):
        return f"case {self.case.number} ({self.case.file_name}, {self.case.mutation}): {self.error}"


def fuzz_parser(
    parse: Callable[[str, bytes], object],
    problem: type[Exception],
    *,
    seeds: list[tuple[str, bytes]],
    cases: int,
    seed: int = 20260901,
    check: Callable[[object], None] | None = None,
) -> Counter:
    """Run `parse(file_name, data)` on `cases` mutations of `seeds`; each must return (and pass `check`,
    if given) or raise `problem`. Returns how many ended each way; fails listing the cases that did not.
    """
    outcomes: Counter = Counter()
    failures: list[Failure] = []
    for case in mutated_files(seeds, cases=cases, seed=seed):
        try:
            result = parse(case.file_name, case.data)
            if check is not None:
                check(result)
        except problem:
            outcomes["problem"] += 1
        except Exception as error:  # what the property forbids: any other exception
            outcomes["error"] += 1
            last = traceback.extract_tb(error.__traceback__)[-1]
            failures.append(Failure(case, f"{error.__class__.__name__}: {str(error)[:200]} at {last.name}"))
        else:
            outcomes["result"] += 1
    assert not failures, f"{len(failures)} of {cases} files ended in an exception:\n" + "\n".join(
        str(failure) for failure in failures[:20]
    )
    return outcomes


def mutated_files(seeds: list[tuple[str, bytes]], *, cases: int, seed: int):
    """`cases` files made from the seeds, the same ones for the same seed."""
    rng = random.Random(seed)
    for number in range(cases):
        file_name, data = rng.choice(seeds)
        if file_name.endswith(".xlsx") and rng.random() < 0.75:
            data, mutation = _mutate_xlsx(rng, data)
        else:
            data, mutation = _mutate_bytes(rng, data, rounds=rng.randint(1, 4))
        yield Case(number, file_name, data, mutation)


def _mutate_bytes(rng: random.Random, data: bytes, rounds: int) -> tuple[bytes, str]:
    done = []
    for _ in range(rounds):
        name, mutate = rng.choice(BYTE_MUTATIONS)
        data = mutate(rng, data)[:MAX_FILE_BYTES]
        done.append(name)
    return data, "+".join(done)


def _truncate(rng, data):
    return data[: rng.randint(0, max(len(data) - 1, 0))]


def _flip(rng, data):
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if data:
            data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def _insert(rng, data):
    at = rng.randint(0, len(data))
    return data[:at] + rng.choice(NASTY_BYTES) * rng.choice([1, 1, 2, 3, 1000]) + data[at:]


def _long_cell(rng, data):
    """A quoted or unquoted cell far longer than any real one, maybe never closed."""
    at = rng.randint(0, len(data))
    body = rng.choice([b"x", b"a;", b'"', b"\xc3\xb1"]) * rng.choice([1000, 70_000, 140_000])
    return data[:at] + rng.choice([b'"', b""]) + body + data[at:]


def _duplicate(rng, data):
    if not data:
        return data
    start = rng.randrange(len(data))
    chunk = data[start : start + rng.randint(1, 200)]
    at = rng.randint(0, len(data))
    return data[:at] + chunk * rng.randint(1, 50) + data[at:]


def _delete(rng, data):
    if not data:
        return data
    start = rng.randrange(len(data))
    return data[:start] + data[start + rng.randint(1, 100) :]


def _random_bytes(rng, data):
    return bytes(rng.randrange(256) for _ in range(rng.randint(0, 600)))


def _reencode(rng, data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data
    encoding = rng.choice(["utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1", "utf-8-sig"])
    return text.encode(encoding, errors="replace")


def _many_lines(rng, data):
    """Rows upon rows: blank ones, or copies of the last line."""
    lines = data[-300:].splitlines(keepends=True) or [b"\n"]
    line = rng.choice([b"\r\n", b";;;\r\n", lines[-1]])
    return data + line * rng.choice([10, 5000, 30_000])


BYTE_MUTATIONS = [
    ("truncate", _truncate),
    ("flip", _flip),
    ("insert", _insert),
    ("long-cell", _long_cell),
    ("duplicate", _duplicate),
    ("delete", _delete),
    ("random", _random_bytes),
    ("reencode", _reencode),
    ("many-lines", _many_lines),
]


def _mutate_xlsx(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """Change one part of the workbook the way a damaged or hand-made file has it, and zip it again."""
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
        parts = {name: source.read(name) for name in source.namelist()}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return _mutate_bytes(rng, data, rounds=1)
    xml_parts = [name for name in parts if name.endswith((".xml", ".rels"))]
    sheet_parts = [name for name in xml_parts if "worksheets/" in name or "sharedStrings" in name]
    part = rng.choice(sheet_parts if sheet_parts and rng.random() < 0.7 else xml_parts or list(parts))
    name, mutate = rng.choice(XML_MUTATIONS)
    if name == "remove":
        del parts[part]
    else:
        parts[part] = mutate(rng, parts[part])
    return zip_parts(parts), f"{part}:{name}"


def zip_parts(parts: dict[str, bytes]) -> bytes:
    """A zip of `parts` whose bytes depend only on them (every entry has the same date)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part_name, content in parts.items():
            entry = zipfile.ZipInfo(part_name, date_time=FIXED_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, content)
    return buffer.getvalue()


def deterministic_zip(data: bytes) -> bytes:
    """The same workbook with every date fixed (the zip entries', the document's creation and change):
    seeds written today and tomorrow are equal, so a seed gives the same files on every run."""
    source = zipfile.ZipFile(io.BytesIO(data))
    parts = {name: source.read(name) for name in source.namelist()}
    if "docProps/core.xml" in parts:
        parts["docProps/core.xml"] = ISO_DATETIME.sub(b"2026-01-01T00:00:00Z", parts["docProps/core.xml"])
    return zip_parts(parts)


def _xml_attribute(rng, xml):
    """Replace the value of one r=, t= or s= attribute."""
    text = xml.decode("utf-8", errors="replace")
    spots = [i for i in range(len(text) - 3) if text[i : i + 3] in (' r="', ' t="', ' s="')]
    if not spots:
        return xml
    start = rng.choice(spots) + 4
    end = text.find('"', start)
    return (text[:start] + rng.choice(NASTY_ATTRIBUTES) + text[end:]).encode()


def _xml_value(rng, xml):
    """Replace the text of one <v> or <t> element."""
    text = xml.decode("utf-8", errors="replace")
    spots = [i for i in range(len(text) - 3) if text[i : i + 3] in ("<v>", "<t>")]
    if not spots:
        return xml
    start = rng.choice(spots) + 3
    end = text.find("<", start)
    return (text[:start] + rng.choice(NASTY_VALUES) + text[end:]).encode()


def _xml_rows(rng, xml):
    """A row far below, or thousands of row elements, as a formatted-but-empty sheet has them."""
    at = xml.rfind(b"</sheetData>")
    if at < 0:
        return xml
    rows = rng.choice(
        [
            b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>',
            b"".join(b'<row r="%d"/>' % n for n in range(100, 100 + rng.choice([100, 30_000]))),
            b'<row><c t="inlineStr"><is><t>sin referencia</t></is></c></row>' * 20,
        ]
    )
    return xml[:at] + rows + xml[at:]


XML_MUTATIONS = [
    ("attribute", _xml_attribute),
    ("attribute", _xml_attribute),
    ("value", _xml_value),
    ("value", _xml_value),
    ("rows", _xml_rows),
    ("truncate", _truncate),
    ("flip", _flip),
    ("insert", _insert),
    ("delete", _delete),
    ("remove", None),
]
