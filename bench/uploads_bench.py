"""Uploads benchmark (`python bench/run.py uploads`): the memory a web process takes for the largest
workbooks it accepts (issue 18: a 2.7 MB file whose texts unpacked to 253 MB took a web process from 147 to
408 MB). Goal: under +150 MB for any accepted upload.

- Parsing, each workbook in a process of its own (`python bench/uploads_bench.py parse FILE`): its peak RSS
  (VmHWM, reset once openpyxl and the app are imported) minus its RSS before reading the file.
- The web path: gunicorn started with the project's gunicorn.conf.py (3 workers, one thread each, as in
  production) on bench/run.py's database; after a warm-up upload per worker, three uploads of the 100,000-line
  journal workbook at once (the page's preview: read, check, write the plan); each worker's peak RSS minus its
  RSS before them.

The workbooks are written here as XML (openpyxl's writer takes a minute for 100,000 rows).
"""

import io
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEADER = [
    "Tipo de comprobante",
    "Número",
    "Fecha",
    "Cuenta",
    "NIT del tercero",
    "Nombre del tercero",
    "Centro de costo",
    "Descripción",
    "Débito",
    "Crédito",
]
TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _inline(text) -> str:
    return f'<c t="inlineStr"><is><t>{text}</t></is></c>'


def workbook(rows, strings=None) -> bytes:
    """A one-sheet workbook: `rows` gives each row's cells as XML; `strings` the shared texts, if any."""
    shared = strings is not None
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"'
            "/>"
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{TYPES}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{TYPES}.worksheet+xml"/>'
            + (
                f'<Override PartName="/xl/sharedStrings.xml" ContentType="{TYPES}.sharedStrings+xml"/>'
                if shared
                else ""
            )
            + "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{RELATIONS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONS}"><sheets>'
            '<sheet name="Comprobantes" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{RELATIONS}/worksheet" Target="worksheets/sheet1.xml"/>'
            + (
                f'<Relationship Id="rId2" Type="{RELATIONS}/sharedStrings" Target="sharedStrings.xml"/>'
                if shared
                else ""
            )
            + "</Relationships>",
        )
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<worksheet xmlns="{MAIN}"><sheetData>'.encode())
            sheet.write(("<row>" + "".join(_inline(text) for text in HEADER) + "</row>").encode())
            _write_all(sheet, (f"<row>{cells}</row>" for cells in rows))
            sheet.write(b"</sheetData></worksheet>")
        if shared:
            with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
                part.write(f'<sst xmlns="{MAIN}">'.encode())
                _write_all(part, (f"<si><t>{text}</t></si>" for text in strings))
                part.write(b"</sst>")
    return buffer.getvalue()


def _write_all(stream, pieces) -> None:
    batch = []
    for piece in pieces:
        batch.append(piece)
        if len(batch) == 5000:
            stream.write("".join(batch).encode())
            batch = []
    stream.write("".join(batch).encode())


def journal_workbook(lines: int = 100_000) -> bytes:
    """The largest journal file accepted (100,000 lines): 50,000 two-line comprobantes over a year, 2,000
    terceros, dates as Excel numbers, a description per comprobante; as openpyxl writes it (a 52 MB sheet)."""
    accounts = ["110505", "130505", "413595", "240800", "519530", "220505", "111005", "510506"]

    def rows():
        for index in range(lines):
            number, second = index // 2 + 1, index % 2
            nit = str(800_000_000 + (number * 7919 % 2000) * 7)
            amount = 1000 + number * 7919 % 9_000_000
            day = 46023 + number * 31 % 365  # 2026
            sides = f"<c><v>{amount}</v></c><c/>" if not second else f"<c/><c><v>{amount}</v></c>"
            yield (
                f"{_inline('CC')}<c><v>{number}</v></c><c><v>{day}</v></c>"
                f"{_inline(accounts[(number + second) % len(accounts)])}{_inline(nit)}"
                f"{_inline('Tercero ' + nit)}{_inline('VEN')}"
                f"{_inline(f'Factura de venta {number} del cliente {nit} por servicios')}{sides}"
            )

    return workbook(rows())


def limits_workbook(rows: int = 100_000) -> bytes:
    """A workbook at the limits: a sheet of 64 MB (100,000 rows of ten different texts) and shared texts of
    10 MB (600,000 short ones): the most a process keeps for a workbook that is accepted."""
    from core.tables import XLSX_SHEET_LIMIT, XLSX_STRINGS_LIMIT

    per_cell = ((XLSX_SHEET_LIMIT - 4096) // rows - len("<row></row>")) // 10 - len(_inline(""))
    texts = (f"{index:x}" for index in range((XLSX_STRINGS_LIMIT - 256) // len("<si><t>00000</t></si>")))
    return workbook(
        (
            "".join(_inline(f"{row:06d}{column}".ljust(per_cell, "x")) for column in range(10))
            for row in range(rows)
        ),
        strings=texts,
    )


def tester_workbook() -> bytes:
    """As the issue's file (2.7 MB there, 6 MB here): its shared texts unpack to 253 MB."""
    texts = (f"Cliente {'y' * 80} {index:08d}" for index in range(253 * MB // 113))
    return workbook([_inline("CC")], strings=texts)


def limits_csv(rows: int = 100_000) -> bytes:
    """The largest CSV the journal import accepts: 30 MB, 100,000 rows of ten different texts."""
    per_cell = (30 * MB - 1024) // rows // 10 - 1
    lines = [";".join(HEADER)]
    lines += [
        ";".join(f"{row:06d}{column}".ljust(per_cell, "x") for column in range(10)) for row in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def _sizes(data: bytes) -> str:
    if data[:2] != b"PK":
        return f"{len(data) / MB:.1f} MB"
    parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    unpacked = sum(part.file_size for part in parts)
    return f"{len(data) / MB:.1f} MB, unpacks to {unpacked / MB:.0f} MB"


# Parsing in a process of its own ------------------------------------------------------------------


def _status(pid: int | str, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _reset_peak(pid: int | str) -> None:
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # VmHWM starts again from the current RSS


def parse_and_report(path: str) -> None:
    """Run in a child process: read the file as the journal import does and print the RSS growth."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accountant_portal.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import openpyxl  # noqa: F401 - imported before the baseline, as in a web process that read one already

    from books.services.journal_file import JOURNAL
    from core.tables import FileProblem, read_table

    before = _status("self", "VmRSS")
    _reset_peak("self")
    start = time.perf_counter()
    data = Path(path).read_bytes()  # counted: a web process holds the upload's bytes too
    try:
        outcome = f"{len(read_table(spec=JOURNAL, file_name=Path(path).name, data=data).rows):,} rows"
    except FileProblem as problem:
        outcome = f"refused: {problem}"
    seconds = time.perf_counter() - start
    print(f"{_status('self', 'VmHWM') - before:.0f}\t{seconds:.1f}\t{outcome}")


def bench_parsing(workdir: Path) -> None:
    print(
        "\nUploads: RSS growth of a process reading a workbook as the journal import does (goal < +150 MB):"
    )
    for label, make in [
        ("issue's file (texts unpack to 253 MB)", tester_workbook),
        ("at the limits (sheet 64 MB, texts 10 MB)", limits_workbook),
        ("largest journal file (100,000 lines)", journal_workbook),
        ("largest CSV (30 MB, 100,000 rows of texts)", limits_csv),
    ]:
        data = make()
        path = workdir / f"{make.__name__}.{'xlsx' if data[:2] == b'PK' else 'csv'}"
        path.write_bytes(data)
        result = subprocess.run(  # noqa: S603 - this script, on a file it wrote
            [sys.executable, __file__, "parse", str(path)], capture_output=True, text=True, check=True
        )
        growth, seconds, outcome = result.stdout.strip().splitlines()[-1].split("\t")
        print(f"  {label:42} +{growth:>4} MB in {float(seconds):5.1f} s ({_sizes(data)}; {outcome[:60]})")


# The web path ------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _multipart(fields: dict, file_name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = io.BytesIO()
    for name, value in fields.items():
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    body.write(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
        "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n".encode()
    )
    body.write(data + f"\r\n--{boundary}--\r\n".encode())
    return body.getvalue(), f"multipart/form-data; boundary={boundary}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def bench_web_uploads(user, workspace, workdir: Path) -> None:
    """Three uploads at once of the 100,000-line journal workbook, through gunicorn."""
    from django.conf import settings
    from django.test import Client

    from bench.books_bench import bench_company, drop

    company = bench_company(user, workspace, "cargas")
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    port = _free_port()
    env = {
        **os.environ,
        "WEB_CONCURRENCY": "3",
        "GUNICORN_THREADS": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_TIMEOUT": "1800",  # a 100,000-line preview takes minutes on a busy 2-core machine
        "GUNICORN_ACCESS_LOG": "",
        "GUNICORN_LOG_LEVEL": "warning",
        "LOG_LEVEL": "WARNING",
    }
    log = (workdir / "gunicorn.log").open("w")
    master = subprocess.Popen(  # noqa: S603 - the project's own server, on loopback
        [str(Path(sys.executable).parent / "gunicorn")], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}/c/{company.slug}/comprobantes/importar/"
    opener = urllib.request.build_opener(_NoRedirect)

    def upload(file_name: str, data: bytes, results: list) -> None:
        cookie = f"{settings.SESSION_COOKIE_NAME}={session}"
        with opener.open(urllib.request.Request(url, headers={"Cookie": cookie}), timeout=60) as page:
            html = page.read().decode()
            csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
            cookie += "; " + "; ".join(
                header.split(";")[0] for header in page.headers.get_all("Set-Cookie") or []
            )
        body, content_type = _multipart({"csrfmiddlewaretoken": csrf, "sheet": ""}, file_name, data)
        request = urllib.request.Request(
            url, data=body, headers={"Cookie": cookie, "Content-Type": content_type, "Referer": url}
        )
        start = time.perf_counter()
        try:
            opener.open(request, timeout=1800)
            results.append(("200", time.perf_counter() - start))
        except urllib.error.HTTPError as answer:  # the 302 to the preview, not followed
            results.append((str(answer.code), time.perf_counter() - start))

    def at_once(file_name: str, data: bytes) -> list:
        results: list = []
        threads = [threading.Thread(target=upload, args=(file_name, data, results)) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return results

    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        time.sleep(2)
        workers = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
        small = journal_workbook(lines=200)
        for _ in range(2):  # each worker reads a workbook once before the baseline (imports, caches)
            at_once("calentamiento.xlsx", small)
        before = {pid: _status(pid, "VmRSS") for pid in workers}
        for pid in workers:
            _reset_peak(pid)
        data = journal_workbook()
        results = at_once("diario-100000.xlsx", data)
        growth = {pid: _status(pid, "VmHWM") - before[pid] for pid in workers}
        print(
            f"\nUploads through the web path: 3 at once of the 100,000-line journal workbook "
            f"({_sizes(data)}),"
        )
        print(
            f"  gunicorn with 3 workers of one thread; answers {sorted(code for code, _ in results)}, ",
            end="",
        )
        print(f"{max(seconds for _, seconds in results):.0f} s for the slowest (goal < +150 MB per worker):")
        for number, pid in enumerate(workers, start=1):
            print(f"  web worker {number}: +{growth[pid]:.0f} MB (RSS {before[pid]:.0f} MB before)")
    finally:
        master.send_signal(signal.SIGTERM)
        master.wait(timeout=60)
        log.close()
        drop(company)


def bench_uploads(user, workspace) -> None:
    workdir = ROOT / "var" / "bench" / "uploads"
    workdir.mkdir(parents=True, exist_ok=True)
    bench_parsing(workdir)
    bench_web_uploads(user, workspace, workdir)


if __name__ == "__main__" and sys.argv[1:2] == ["parse"]:
    parse_and_report(sys.argv[2])
