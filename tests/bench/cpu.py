"""Where a load's CPU went, read from Linux's /proc: the portal's gunicorn processes, the PostgreSQL
connections to its database, the load generator (this process) and the whole machine.

Per-process CPU does not depend on what else the machine is doing the way a rate does: the storm's
report gives both. Shapes: ``snapshot(base, database)`` is opaque (``base``: the gunicorn's
http://host:port; ``database``: the benchmark database's name); ``spent(before, after, per)`` returns
milliseconds of CPU per ``per`` items for each part, and the share of all cores that was busy (0 to 1).
"""

import os
import resource
from pathlib import Path

PROC = Path("/proc")
TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")
PARTS = ("gunicorn", "postgres")


def _ticks_by_process(base: str, database: str) -> dict[int, tuple[str, int]]:
    """{pid: (part, CPU ticks so far)} of the processes that belong to a part: gunicorn's master and
    workers bound to ``base`` (workers keep the master's command line), and PostgreSQL's backends
    connected to ``database`` (their command line names it: "postgres: user database ...")."""
    bind = base.split("://", 1)[-1]
    ticks = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended while we looked
            continue
        if "gunicorn" in command and bind in command:
            part = "gunicorn"
        elif command.startswith("postgres:") and f" {database} " in command:
            part = "postgres"
        else:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        ticks[int(entry.name)] = (part, int(fields[11]) + int(fields[12]))  # utime + stime (proc(5))
    return ticks


def _machine() -> tuple[int, int]:
    values = [int(value) for value in (PROC / "stat").read_text().splitlines()[0].split()[1:]]
    return sum(values), values[3] + values[4]  # all ticks, idle + iowait ticks


def snapshot(base: str, database: str) -> dict:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "processes": _ticks_by_process(base, database),
        "machine": _machine(),
        "self_seconds": usage.ru_utime + usage.ru_stime,
    }


def spent(before: dict, after: dict, per: int) -> dict:
    """CPU per item in ms for gunicorn, PostgreSQL and the load generator; ``busy``: share of all cores.

    A process that started between the snapshots counts whole; one that ended is not seen (the
    storm's gunicorn workers and PostgreSQL connections live through it).
    """
    ticks = dict.fromkeys(PARTS, 0)
    for pid, (part, now) in after["processes"].items():
        earlier = before["processes"].get(pid)
        ticks[part] += now - (earlier[1] if earlier and earlier[0] == part else 0)
    result = {part: 1000 * ticks[part] / TICKS_PER_SECOND / per for part in PARTS}
    result["load generator"] = 1000 * (after["self_seconds"] - before["self_seconds"]) / per
    total = after["machine"][0] - before["machine"][0]
    idle = after["machine"][1] - before["machine"][1]
    result["busy"] = 1 - idle / total if total else 0.0
    return result
