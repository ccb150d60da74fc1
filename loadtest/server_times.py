"""Per page, what the server itself spent (from the app's request lines in gunicorn's log): the time in the
application and the CPU of the request's thread, p50 and p95. CPU does not grow when other programs share
the cores; the time does, so both are shown."""

import json
import re
import statistics
import sys
from collections import defaultdict

COMPANY = re.compile(r"^/c/[^/]+/")
NUMBER = re.compile(r"/\d+/")


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) > 1 else values[0]


def main(path: str) -> None:
    pages = defaultdict(list)
    with open(path, encoding="utf-8") as log:
        for line in log:
            if not line.startswith("{") or '"portal.request"' not in line:
                continue
            entry = json.loads(line)
            page = NUMBER.sub("/N/", COMPANY.sub("/c/<empresa>/", entry["path"]))
            pages[f"{entry['method']} {page}"].append((entry["duration_ms"], entry["cpu_ms"]))
    if not pages:
        return
    width = max(len(name) for name in pages)
    heading = f"{'count':>6}  {'ms p50':>7}  {'ms p95':>7}  {'cpu p50':>7}  {'cpu p95':>7}"
    print(f"{'server side, per request':{width}}  {heading}")
    for name, rows in sorted(pages.items()):
        times, cpus = [r[0] for r in rows], [r[1] for r in rows]
        print(
            f"{name:{width}}  {len(rows):6d}  {statistics.median(times):7.0f}  {_p95(times):7.0f}  "
            f"{statistics.median(cpus):7.0f}  {_p95(cpus):7.0f}"
        )


if __name__ == "__main__":
    main(sys.argv[1])
