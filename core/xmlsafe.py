"""Reading uploaded XML files and ZIPs of them safely, whatever the bytes.

XML is parsed with DTDs, entities and network access off: any DOCTYPE or ENTITY declaration is refused
(XXE, billion laughs, external DTDs), and so is a file over `XML_MAX_BYTES`. ZIPs are read in memory (nothing
is ever written to disk): their member count and declared unpacked size are checked before any member is
unpacked, the bytes actually unpacked are counted against the same limits, a member whose path climbs out
(`..`) or is absolute is refused, encrypted or damaged archives are refused, and a ZIP inside a ZIP is
opened one level deep only.

`unpack_files` turns an upload (one file or many) into one result per file: an `UnpackedFile` or a
`FileError` whose message, in the reader's language, names the file and the member. One bad file never
stops the others.
"""

import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from io import BytesIO

# Only the element type for annotations: every document is parsed by defusedxml (DTDs, entities and
# network off), below.
from xml.etree.ElementTree import Element  # noqa: S405 (a type, never a parser)

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from django.utils.translation import gettext as _

MB = 1024 * 1024
XML_MAX_BYTES = 10 * MB  # DIAN's documents are a few hundred KB; an AttachedDocument of many lines, a few MB
ZIP_MAX_MEMBERS = 10_000  # a month of 2,000 documents is 4,000 members (the XML and the PDF of each)
ZIP_MAX_UNPACKED = 512 * MB  # all the members of an upload together, nested ZIPs included
ZIP_MEMBER_MAX = 32 * MB  # one member (a PDF with scans; a nested ZIP)
ZIP_MAGIC = b"PK\x03\x04"
ZIP_EMPTY_MAGIC = b"PK\x05\x06"
PDF_MAGIC = b"%PDF"
CHUNK = 64 * 1024
SEPARATOR = " › "  # between a ZIP's name and its member's, as the accountant reads it


class XMLProblem(Exception):
    """The XML cannot be used; the message says why, for the accountant."""


@dataclass(frozen=True)
class UnpackedFile:
    name: str  # the file's name, with the ZIPs it came from: "lote.zip › facturas/f1.xml"
    data: bytes

    @property
    def is_xml(self) -> bool:
        return self.name.lower().endswith(".xml")


@dataclass(frozen=True)
class FileError:
    name: str
    message: str


@dataclass
class _Budget:
    """What the rest of an upload may still unpack to."""

    members: int
    bytes: int


class _ZipRefused(Exception):
    pass


def parse_xml(data: bytes, name: str, max_bytes: int = XML_MAX_BYTES) -> Element:
    """The root element of an XML document, or XMLProblem naming the file."""
    if len(data) > max_bytes:
        raise XMLProblem(
            _("%(file)s: the file is larger than %(size)s MB; an electronic document is never that large.")
            % {"file": name, "size": max_bytes // MB}
        )
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(PDF_MAGIC):
        raise XMLProblem(_("%(file)s: this is a PDF, not an XML file.") % {"file": name})
    if not head.startswith(b"<"):
        raise XMLProblem(_("%(file)s: this is not an XML file.") % {"file": name})
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        message = _("%(file)s: the XML declares a DOCTYPE or an ENTITY, which is refused for safety.")
        raise XMLProblem(message % {"file": name}) from None
    except (ParseError, ValueError, UnicodeError) as error:
        line = getattr(error, "position", (0, 0))[0]
        raise XMLProblem(
            _("%(file)s: the XML is incomplete or damaged (line %(line)s).") % {"file": name, "line": line}
        ) from None


def unpack_files(files: Iterable[tuple[str, bytes]]) -> Iterator[UnpackedFile | FileError]:
    """Each file of an upload, ZIPs opened (one nested level), or the error that stopped it."""
    budget = _Budget(members=ZIP_MAX_MEMBERS, bytes=ZIP_MAX_UNPACKED)
    for name, data in files:
        if _is_zip(name, data):
            yield from _unpack_zip(name, data, budget, depth=0)
        else:
            yield UnpackedFile(name, data)


def _is_zip(name: str, data: bytes) -> bool:
    return name.lower().endswith(".zip") or data[:4] in (ZIP_MAGIC, ZIP_EMPTY_MAGIC)


def _unpack_zip(name: str, data: bytes, budget: _Budget, depth: int) -> Iterator[UnpackedFile | FileError]:
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = [info for info in archive.infolist() if not _skipped(info)]
        _check_declared(name, members, budget)
    except _ZipRefused as refusal:
        yield FileError(name, str(refusal))
        return
    except Exception:  # zipfile raises BadZipFile, ValueError, EOFError... on damaged archives
        yield FileError(name, _("%(file)s: the ZIP file is damaged and cannot be opened.") % {"file": name})
        return
    for info in members:
        member_name = f"{name}{SEPARATOR}{info.filename}"
        try:
            member = _read_member(archive, info, member_name, budget)
        except _ZipRefused as refusal:
            yield FileError(member_name, str(refusal))
            continue
        if not _is_zip(info.filename, member):
            yield UnpackedFile(member_name, member)
        elif depth == 0:
            yield from _unpack_zip(member_name, member, budget, depth=1)
        else:
            message = _("%(file)s: a ZIP inside a ZIP inside a ZIP is refused; only one level of nesting.")
            yield FileError(member_name, message % {"file": member_name})


def _skipped(info: zipfile.ZipInfo) -> bool:
    """Folders and the resource forks macOS adds to the ZIPs it makes."""
    return info.is_dir() or info.filename.startswith("__MACOSX/")


def _check_declared(name: str, members: list[zipfile.ZipInfo], budget: _Budget) -> None:
    """The limits, on what the ZIP says it holds, before anything is unpacked."""
    if len(members) > budget.members:
        raise _ZipRefused(
            _("%(file)s: the ZIP holds more than %(count)s files.") % {"file": name, "count": ZIP_MAX_MEMBERS}
        )
    if sum(info.file_size for info in members) > budget.bytes:
        raise _ZipRefused(_too_large(name, ZIP_MAX_UNPACKED))
    budget.members -= len(members)


def _too_large(name: str, limit: int) -> str:
    return _("%(file)s: the ZIP unpacks to more than %(size)s MB.") % {"file": name, "size": limit // MB}


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, budget: _Budget) -> bytes:
    """The member's bytes, in memory, counted as they are unpacked against what the upload may still use."""
    if _unsafe_path(info.filename):
        raise _ZipRefused(
            _("%(file)s: the path leaves the ZIP's folder ('..' or an absolute path).") % {"file": name}
        )
    if info.flag_bits & 0x1:
        raise _ZipRefused(_("%(file)s: the file is protected with a password.") % {"file": name})
    limit = min(ZIP_MEMBER_MAX, budget.bytes)
    shown = ZIP_MEMBER_MAX if limit == ZIP_MEMBER_MAX else ZIP_MAX_UNPACKED
    if info.file_size > limit:
        raise _ZipRefused(_too_large(name, shown))
    chunks, size = [], 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise _ZipRefused(_too_large(name, shown))
                chunks.append(chunk)
    except _ZipRefused:
        raise
    except Exception:  # a bad CRC, an unknown compression method, a truncated member...
        raise _ZipRefused(_("%(file)s: the file is damaged inside the ZIP.") % {"file": name}) from None
    budget.bytes -= size
    return b"".join(chunks)


def _unsafe_path(path: str) -> bool:
    path = path.replace("\\", "/")
    if path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        return True
    return ".." in path.split("/")
