"""DIAN's electronic documents (issue 20): reading uploaded files into parsed documents.

`read_documents` takes an upload (names and bytes: XML files, PDFs, ZIPs of them) and yields, per file, a
`Document`, a `FileError` with the accountant's message, or the `UnpackedFile` of anything that is not XML
(the PDFs, kept beside their documents). It never raises for one bad file.
"""

from collections.abc import Iterable, Iterator

from core.xmlsafe import FileError, UnpackedFile, XMLProblem, unpack_files

from .documents import Document
from .ubl import read_document

__all__ = ["Document", "FileError", "UnpackedFile", "read_documents"]


def read_documents(files: Iterable[tuple[str, bytes]]) -> Iterator[Document | FileError | UnpackedFile]:
    for item in unpack_files(files):
        if isinstance(item, FileError) or not item.is_xml:
            yield item
            continue
        try:
            yield read_document(item.data, item.name)
        except XMLProblem as problem:
            yield FileError(item.name, str(problem))
