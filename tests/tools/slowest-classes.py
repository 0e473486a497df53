#!/usr/bin/env python3
"""Where a test run's time went, read from its trx files (dotnet test --logger trx).

    python3 tests/tools/slowest-classes.py RESULTS.trx|DIRECTORY ... [--top N]

Prints the slowest test classes (sum of their tests' durations, count, mean, and the wall span from the class's first
start to its last end) and the slowest single tests. Durations overlap: xunit runs classes side by side, so a sum is a
class's share of the machine, not of the wall clock; the span says how long the class held a slot. Standard library
only, so that CI needs nothing but python3 (ADR 57).
"""

import argparse
import datetime
import pathlib
import re
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def seconds(duration):
    """A trx duration (hh:mm:ss.fffffff) in seconds."""
    hours, minutes, rest = duration.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


def moment(stamp):
    """A trx time stamp (7 decimals and an offset) as a datetime; None when absent."""
    if not stamp:
        return None
    stamp = re.sub(r"(\.\d{6})\d*", r"\1", stamp)
    return datetime.datetime.fromisoformat(stamp)


def files(arguments):
    for argument in arguments:
        path = pathlib.Path(argument)
        if path.is_dir():
            yield from sorted(path.rglob("*.trx"))
        else:
            yield path


def read(path):
    root = ET.parse(path).getroot()
    classes = {}
    for test in root.iterfind("t:TestDefinitions/t:UnitTest", NS):
        method = test.find("t:TestMethod", NS)
        classes[test.get("id")] = method.get("className") if method is not None else "?"
    for result in root.iterfind("t:Results/t:UnitTestResult", NS):
        yield {
            "class": classes.get(result.get("testId"), "?"),
            "name": result.get("testName"),
            "seconds": seconds(result.get("duration", "00:00:00")),
            "start": moment(result.get("startTime")),
            "end": moment(result.get("endTime")),
            "outcome": result.get("outcome"),
        }


def minutes(value):
    return f"{value / 60:7.1f} min" if value >= 600 else f"{value:7.1f} s  "


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="trx files or directories holding them")
    parser.add_argument("--top", type=int, default=25, help="how many classes and tests to list (25)")
    arguments = parser.parse_args()

    results = []
    for path in files(arguments.paths):
        try:
            results.extend(read(path))
        except (ET.ParseError, OSError) as error:
            print(f"slowest-classes: {path} not read: {error}", file=sys.stderr)
    ran = [r for r in results if r["outcome"] != "NotExecuted"]
    if not ran:
        print("slowest-classes: no test results found in " + " ".join(arguments.paths))
        return 0

    total = sum(r["seconds"] for r in ran)
    starts = [r["start"] for r in ran if r["start"]]
    ends = [r["end"] for r in ran if r["end"]]
    wall = (max(ends) - min(starts)).total_seconds() if starts and ends else 0.0
    print(f"== Where the time went: {len(ran)} tests run, {total / 60:.1f} min summed, {wall / 60:.1f} min from first start to last end")

    by_class = {}
    for r in ran:
        entry = by_class.setdefault(r["class"], {"sum": 0.0, "count": 0, "start": None, "end": None})
        entry["sum"] += r["seconds"]
        entry["count"] += 1
        if r["start"] and (entry["start"] is None or r["start"] < entry["start"]):
            entry["start"] = r["start"]
        if r["end"] and (entry["end"] is None or r["end"] > entry["end"]):
            entry["end"] = r["end"]

    print(f"-- Slowest classes (of {len(by_class)}): sum, share of the sum, tests, mean, span")
    for name, entry in sorted(by_class.items(), key=lambda item: -item[1]["sum"])[: arguments.top]:
        span = (entry["end"] - entry["start"]).total_seconds() if entry["start"] and entry["end"] else 0.0
        print(f"{minutes(entry['sum'])} {100 * entry['sum'] / total:5.1f} % {entry['count']:4d} tests"
              f"  mean {entry['sum'] / entry['count']:6.1f} s  span {minutes(span)}  {name}")

    print("-- Slowest tests")
    for r in sorted(ran, key=lambda r: -r["seconds"])[: arguments.top]:
        print(f"{minutes(r['seconds'])}  {r['name']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
