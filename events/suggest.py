"""A suggested schedule for an unconference board: which session goes into which room and slot.

Pure: it takes numbers and sets, never rows, so it is tested against a brute force on small boards.

What it optimises, in order:

1. The sessions placed are the most wanted ones (as many as there are places, rooms times slots).
2. As few members as possible face a clash: a member faces one when two sessions they want (or propose:
   a proposer wants their own session) are in the same slot. Ties: fewer clashing pairs.
3. Within a slot the most wanted session gets the largest room. For a given split into slots this
   sorting is the best room assignment (any swap that gives more interest a smaller room is no better),
   so the search is over the split into slots only.

Slots are assumed not to overlap one another; the hosts' board reports overlaps of its own.

The split is searched exactly (depth first, with pruning and the slots' symmetry broken) while the
board is small (EXACT_LIMIT placed sessions), which covers the common board of three rooms and three
slots; above it a greedy start is improved by single moves and swaps until none helps (a local optimum),
or until BUDGET_SECONDS have passed on a very large board.
"""

import itertools
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

EXACT_LIMIT = 10
# The improving passes stop after this long (a host waits for the page): on a board of 200 sessions and
# 60 places a full local optimum took about 8 s here, each pass already better than the greedy start.
BUDGET_SECONDS = 2.0


@dataclass(frozen=True)
class Board:
    # session id -> the members who want it (its proposers included)
    wanted: Mapping[int, frozenset[int]]
    # room id -> seats
    rooms: Mapping[int, int]
    slots: tuple[int, ...]
    # session id -> interest shown (the count the board sorts by)
    interest: Mapping[int, int]


def cost(groups: Iterable[Iterable[int]], wanted: Mapping[int, frozenset[int]]) -> tuple[int, int]:
    """(members facing a clash, clashing pairs) of sessions split into slot groups."""
    clashing: set[int] = set()
    pairs = 0
    for group in groups:
        seen: dict[int, int] = {}
        for session in group:
            for member in wanted.get(session, frozenset()):
                seen[member] = seen.get(member, 0) + 1
        for member, n in seen.items():
            if n > 1:
                clashing.add(member)
                pairs += n * (n - 1) // 2
    return len(clashing), pairs


def placed_sessions(board: Board) -> list[int]:
    """The sessions that get a place: the most wanted, ties by id (the order they were proposed)."""
    places = len(board.rooms) * len(board.slots)
    ranked = sorted(board.wanted, key=lambda s: (-board.interest.get(s, 0), s))
    return ranked[:places]


def _exact(sessions: list[int], width: int, nslots: int, wanted) -> list[list[int]]:
    best: list[list[int]] | None = None
    best_cost = (float("inf"), float("inf"))
    groups: list[list[int]] = [[] for _ in range(nslots)]

    def partial_cost() -> tuple[int, int]:
        return cost(groups, wanted)

    def place(i: int) -> None:
        nonlocal best, best_cost
        current = partial_cost()
        # Clashes only grow as sessions are added, so a partial split as bad as the best is pruned.
        if current >= best_cost:
            return
        if i == len(sessions):
            best, best_cost = [list(g) for g in groups], current
            return
        opened_empty = False
        for group in groups:
            if len(group) >= width:
                continue
            if not group:
                # Empty slots are interchangeable: trying one of them is trying them all.
                if opened_empty:
                    continue
                opened_empty = True
            group.append(sessions[i])
            place(i + 1)
            group.pop()

    place(0)
    return best or [[] for _ in range(nslots)]


class _Counts:
    """How many of each member's wanted sessions sit in each slot, with the two figures of ``cost``
    kept current, so that a move is judged by the members it touches, not by the whole board."""

    def __init__(self, groups: list[list[int]], wanted):
        self.wanted = wanted
        self.n: dict[tuple[int, int], int] = {}
        self.crowded: dict[int, int] = {}  # member -> slots where they have two or more
        self.pairs = 0
        self.clashing = 0  # members with any crowded slot
        for g, group in enumerate(groups):
            for session in group:
                self.apply([(m, g, 1) for m in wanted[session]])

    @property
    def value(self) -> tuple[int, int]:
        return self.clashing, self.pairs

    def apply(self, changes) -> None:
        for member, g, step in changes:
            before = self.n.get((member, g), 0)
            after = before + step
            self.n[(member, g)] = after
            self.pairs += after * (after - 1) // 2 - before * (before - 1) // 2
            was = self.crowded.get(member, 0)
            now = was + (after >= 2) - (before >= 2)
            self.crowded[member] = now
            self.clashing += (now > 0) - (was > 0)

    def trial(self, changes) -> tuple[int, int]:
        self.apply(changes)
        value = self.value
        self.apply([(m, g, -step) for m, g, step in changes])
        return value


def _move(wanted, session, a, b):
    return [(m, a, -1) for m in wanted[session]] + [(m, b, 1) for m in wanted[session]]


def _local(sessions: list[int], width: int, nslots: int, wanted) -> list[list[int]]:
    # Greedy: each session, most wanted first, into the slot where it adds the least.
    groups: list[list[int]] = [[] for _ in range(nslots)]
    counts = _Counts(groups, wanted)
    for session in sessions:
        options = [g for g in range(nslots) if len(groups[g]) < width]
        target = min(
            options, key=lambda g: (counts.trial([(m, g, 1) for m in wanted[session]]), len(groups[g]))
        )
        groups[target].append(session)
        counts.apply([(m, target, 1) for m in wanted[session]])
    # Then single moves and swaps, each taken as soon as it helps, in passes until a pass finds none.
    stop = time.monotonic() + BUDGET_SECONDS
    improved = True
    while improved and time.monotonic() < stop:
        improved = False
        for a, b in itertools.permutations(range(nslots), 2):
            i = 0
            while i < len(groups[a]):
                s = groups[a][i]
                current = counts.value
                if len(groups[b]) < width:
                    change = _move(wanted, s, a, b)
                    if counts.trial(change) < current:
                        counts.apply(change)
                        groups[b].append(groups[a].pop(i))
                        improved = True
                        continue  # the next session now stands at i
                for j, t in enumerate(groups[b]):
                    change = _move(wanted, s, a, b) + _move(wanted, t, b, a)
                    if counts.trial(change) < current:
                        counts.apply(change)
                        groups[a][i], groups[b][j] = t, s
                        improved = True
                        break
                i += 1
    return groups


def split(board: Board) -> list[list[int]]:
    """The placed sessions split into one group per slot (in the order of ``board.slots``)."""
    sessions = placed_sessions(board)
    width, nslots = len(board.rooms), len(board.slots)
    if not sessions or not width or not nslots:
        return [[] for _ in range(nslots)]
    wanted = {s: board.wanted.get(s, frozenset()) for s in sessions}
    if len(sessions) <= EXACT_LIMIT:
        return _exact(sessions, width, nslots, wanted)
    return _local(sessions, width, nslots, wanted)


def suggest(board: Board) -> dict[int, tuple[int, int]]:
    """session id -> (room id, slot id) for each placed session."""
    rooms = sorted(board.rooms, key=lambda r: (-board.rooms[r], r))
    result = {}
    for slot, group in zip(board.slots, split(board), strict=True):
        ranked = sorted(group, key=lambda s: (-board.interest.get(s, 0), s))
        for room, session in zip(rooms, ranked, strict=False):
            result[session] = (room, slot)
    return result
