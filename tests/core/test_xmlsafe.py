"""Hostile XML and ZIP files end in a Spanish message naming the file; the rest of the upload goes on."""

import io
import struct
import time
import zipfile

import pytest
from django.utils import translation

from core import xmlsafe
from core.xmlsafe import FileError, UnpackedFile, XMLProblem, parse_xml, unpack_files

GOOD = b'<?xml version="1.0" encoding="UTF-8"?><Invoice xmlns="urn:x"><ID>1</ID></Invoice>'
XXE = (
    b'<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b"<Invoice><ID>&xxe;</ID></Invoice>"
)
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
        for n in range(1, 10)
    )
    + b"]><lolz>&lol9;</lolz>"
)
EXTERNAL_DTD = b'<?xml version="1.0"?><!DOCTYPE Invoice SYSTEM "http://example.com/evil.dtd"><Invoice/>'
DOCTYPE_MESSAGE = "el XML declara un DOCTYPE o una ENTITY, que por seguridad no se aceptan."


@pytest.fixture(autouse=True)
def spanish():
    with translation.override("es"):
        yield


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            archive.writestr(info, data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def patched(data: bytes, size: int | None = None, flags: int | None = None) -> bytes:
    """The ZIP with every header's unpacked size or flags changed (what a hand-made bomb or lock does)."""
    data = bytearray(data)
    for signature, flags_at, size_at in ((b"PK\x03\x04", 6, 22), (b"PK\x01\x02", 8, 24)):
        start = data.find(signature)
        while start != -1:
            if flags is not None:
                data[start + flags_at : start + flags_at + 2] = struct.pack("<H", flags)
            if size is not None:
                data[start + size_at : start + size_at + 4] = struct.pack("<I", size)
            start = data.find(signature, start + 4)
    return bytes(data)


def results(files: dict[str, bytes]) -> list:
    return list(unpack_files(files.items()))


def only_error(found: list) -> FileError:
    errors = [item for item in found if isinstance(item, FileError)]
    assert len(errors) == 1, found
    return errors[0]


def test_a_good_xml_parses():
    assert parse_xml(GOOD, "f.xml").tag == "{urn:x}Invoice"


@pytest.mark.parametrize("data", [XXE, LAUGHS, EXTERNAL_DTD], ids=["xxe", "billion-laughs", "external-dtd"])
def test_doctype_and_entities_are_refused(data):
    started = time.monotonic()
    with pytest.raises(XMLProblem) as refused:
        parse_xml(data, "malo.xml")
    assert str(refused.value) == f"malo.xml: {DOCTYPE_MESSAGE}"
    assert time.monotonic() - started < 1


def test_a_pdf_named_xml_a_truncated_xml_and_a_large_one():
    with pytest.raises(XMLProblem, match=r"^f\.xml: es un PDF, no un archivo XML\.$"):
        parse_xml(b"%PDF-1.7\n...", "f.xml")
    with pytest.raises(XMLProblem, match=r"^f\.xml: el XML está incompleto o dañado \(línea 1\)\.$"):
        parse_xml(GOOD[:60], "f.xml")
    with pytest.raises(XMLProblem, match=r"^f\.xml: no es un archivo XML\.$"):
        parse_xml(b"\x00\x01binary", "f.xml")
    with pytest.raises(XMLProblem, match="pesa más de 1 MB"):
        parse_xml(b"<a>" + b" " * xmlsafe.MB + b"</a>", "f.xml", max_bytes=xmlsafe.MB)


def test_zips_are_read_in_memory_with_one_nested_level():
    inner = zip_of({"b.xml": GOOD, "b.pdf": b"%PDF"})
    outer = zip_of({"a.xml": GOOD, "dentro.zip": inner, "carpeta/": b""})
    found = results({"suelto.xml": GOOD, "lote.zip": outer})
    assert [item.name for item in found] == [
        "suelto.xml",
        "lote.zip › a.xml",
        "lote.zip › dentro.zip › b.xml",
        "lote.zip › dentro.zip › b.pdf",
    ]
    assert all(isinstance(item, UnpackedFile) for item in found)
    assert [item.is_xml for item in found] == [True, True, True, False]


def test_a_zip_inside_a_zip_inside_a_zip_is_refused_and_the_rest_goes_on():
    deepest = zip_of({"c.xml": GOOD})
    found = results({"lote.zip": zip_of({"a.xml": GOOD, "b.zip": zip_of({"c.zip": deepest, "b.xml": GOOD})})})
    error = only_error(found)
    assert error.message == (
        "lote.zip › b.zip › c.zip: no se acepta un ZIP dentro de un ZIP dentro de otro ZIP; solo un nivel."
    )
    read = {item.name for item in found if isinstance(item, UnpackedFile)}
    assert read == {"lote.zip › a.xml", "lote.zip › b.zip › b.xml"}


LEAVING = ["../fuera.xml", "a/../../fuera.xml", "/etc/fuera.xml", "C:/fuera.xml", "..\\x.xml"]


@pytest.mark.parametrize("member", LEAVING)
def test_a_member_leaving_the_zip_is_refused(member, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    found = results({"lote.zip": zip_of({member: GOOD, "bien.xml": GOOD})})
    error = only_error(found)
    leaves = "la ruta sale de la carpeta del ZIP ('..' o una ruta absoluta)."
    assert error.message == f"lote.zip › {member}: {leaves}"
    assert [item.name for item in found if isinstance(item, UnpackedFile)] == ["lote.zip › bien.xml"]
    assert list(tmp_path.iterdir()) == []  # nothing written anywhere


def test_an_encrypted_zip_is_refused():
    found = results({"clave.zip": patched(zip_of({"a.xml": GOOD}), flags=0x1), "b.xml": GOOD})
    assert only_error(found).message == "clave.zip › a.xml: el archivo está protegido con contraseña."
    assert found[-1] == UnpackedFile("b.xml", GOOD)


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04" + b"\x00" * 100, zip_of({"a.xml": GOOD})[:-30], b"PK\x05\x06garbage"],
    ids=["garbage", "truncated", "bad-end"],
)
def test_a_corrupt_zip_is_refused(data):
    found = results({"roto.zip": data, "b.xml": GOOD})
    assert only_error(found).message == "roto.zip: el ZIP está dañado y no se puede abrir."
    assert found[-1] == UnpackedFile("b.xml", GOOD)


def test_a_damaged_member_is_refused_alone():
    data = bytearray(zip_of({"a.xml": GOOD * 20, "b.xml": GOOD}))
    data[60] ^= 0xFF  # inside a.xml's compressed bytes
    found = results({"lote.zip": bytes(data)})
    assert only_error(found).message == "lote.zip › a.xml: el archivo está dañado dentro del ZIP."
    assert found[-1] == UnpackedFile("lote.zip › b.xml", GOOD)


def test_a_zip_bomb_by_its_declared_size_is_refused_before_unpacking():
    bomb = patched(zip_of({"a.xml": GOOD}), size=600 * xmlsafe.MB)
    started = time.monotonic()
    found = results({"bomba.zip": bomb, "b.xml": GOOD})
    assert time.monotonic() - started < 1
    assert only_error(found).message == "bomba.zip: el ZIP se descomprime en más de 512 MB."
    assert found[-1] == UnpackedFile("b.xml", GOOD)


def test_a_zip_bomb_that_lies_about_its_size_is_refused_fast(monkeypatch):
    monkeypatch.setattr(xmlsafe, "ZIP_MEMBER_MAX", xmlsafe.MB)
    honest = zip_of({"ceros.xml": b"\x00" * (3 * xmlsafe.MB)})
    found = results({"bomba.zip": honest})
    assert only_error(found).message == "bomba.zip › ceros.xml: el ZIP se descomprime en más de 1 MB."
    liar = patched(honest, size=100)  # says 100 bytes, unpacks to 3 MB: never more than 100 bytes are read
    started = time.monotonic()
    found = results({"bomba.zip": liar})
    assert time.monotonic() - started < 1
    assert only_error(found).message == "bomba.zip › ceros.xml: el archivo está dañado dentro del ZIP."


def test_the_budget_is_shared_by_the_members_actually_read(monkeypatch):
    monkeypatch.setattr(xmlsafe, "ZIP_MAX_UNPACKED", 2 * xmlsafe.MB)
    part = b"<a>" + b" " * (xmlsafe.MB - 100) + b"</a>"
    found = results({"uno.zip": zip_of({"a.xml": part}), "dos.zip": zip_of({"b.xml": part, "c.xml": part})})
    assert only_error(found).message == "dos.zip: el ZIP se descomprime en más de 2 MB."
    assert [item.name for item in found if isinstance(item, UnpackedFile)] == ["uno.zip › a.xml"]


def test_too_many_members_are_refused_before_unpacking(monkeypatch):
    monkeypatch.setattr(xmlsafe, "ZIP_MAX_MEMBERS", 3)
    found = results({"lote.zip": zip_of({f"{n}.xml": GOOD for n in range(4)})})
    assert only_error(found).message == "lote.zip: el ZIP tiene más de 3 archivos."
