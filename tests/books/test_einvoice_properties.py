"""The reader ends every file, however damaged, in documents, other files or messages (tests/fuzzing.py)."""

import random
import re
import time

from django.utils import translation

from books.einvoice import FileError, UnpackedFile, read_documents
from books.einvoice.documents import Document, differences, direction_for
from tests.fuzzing import NASTY_VALUES, fuzz_parser, zip_parts

from .einvoice_files import PDF, DocumentData, attached_document, invoice_xml

GOOD = invoice_xml()
SEEDS = [
    ("f.xml", invoice_xml()),
    ("ad.xml", attached_document()),
    ("nc.xml", invoice_xml(DocumentData(kind="CreditNote", type_code="91", reference=("SETP1", "x" * 96)))),
    ("nd.xml", invoice_xml(DocumentData(kind="DebitNote", type_code="92"))),
    ("mes.zip", zip_parts({"a.xml": attached_document(), "a.pdf": PDF, "b.zip": zip_parts({"c.xml": GOOD})})),
]
TEXT = re.compile(rb">([^<>]{1,200})<")
VALUES = [*NASTY_VALUES, "NaN", "-Infinity", "1E999999", "9" * 40, "1e-99999", "", " ", "2026-02-30", "-5"]


class NeverRaised(Exception):
    pass


def _read(file_name: str, data: bytes) -> list:
    return list(read_documents([(file_name, data)]))


def _check(found: list) -> None:
    assert found
    for item in found:
        assert isinstance(item, Document | FileError | UnpackedFile), item
        if isinstance(item, FileError):
            assert item.message.startswith(item.name + ": "), item
        if isinstance(item, Document):
            differences(item)
            direction_for(item, "900123456-7")


def test_random_truncations_and_mutations_end_in_results_or_messages():
    started = time.monotonic()
    with translation.override("es"):
        outcomes = fuzz_parser(_read, NeverRaised, seeds=SEEDS, cases=1500, check=_check)
    assert outcomes["result"] == 1500
    assert time.monotonic() - started < 120


def test_every_value_of_a_document_replaced_by_a_nasty_one():
    rng = random.Random(20261208)
    failures = []
    for seed_name, data in SEEDS[:4]:
        spots = list(TEXT.finditer(data))
        for _round in range(150):
            spot = rng.choice(spots)
            value = rng.choice(VALUES).encode()
            changed = data[: spot.start(1)] + value + data[spot.end(1) :]
            try:
                _check(_read(seed_name, changed))
            except Exception as error:  # what the property forbids
                failures.append(f"{seed_name} {spot.group(1)[:40]!r} -> {value!r}: {error!r}")
    assert not failures, "\n".join(failures[:20])
