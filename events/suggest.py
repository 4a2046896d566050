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
slots; above it a greedy start is improved by single moves and swaps until none helps (a local optimum).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

EXACT_LIMIT = 10


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


def _local(sessions: list[int], width: int, nslots: int, wanted) -> list[list[int]]:
    # Greedy: each session, most wanted first, into the slot where it adds the least.
    groups: list[list[int]] = [[] for _ in range(nslots)]
    for session in sessions:
        options = [g for g in groups if len(g) < width]
        target = min(options, key=lambda g: (cost([[*g, session]], wanted), len(g)))
        target.append(session)
    current = cost(groups, wanted)
    improved = True
    while improved:
        improved = False
        for a in range(nslots):
            for b in range(nslots):
                if a == b:
                    continue
                for i in range(len(groups[a])):
                    # Move one session from a to b (if b has room) ...
                    if len(groups[b]) < width:
                        trial = [list(g) for g in groups]
                        trial[b].append(trial[a].pop(i))
                        c = cost(trial, wanted)
                        if c < current:
                            groups, current, improved = trial, c, True
                            break
                    # ... or swap it with one of b's.
                    for j in range(len(groups[b])):
                        trial = [list(g) for g in groups]
                        trial[a][i], trial[b][j] = trial[b][j], trial[a][i]
                        c = cost(trial, wanted)
                        if c < current:
                            groups, current, improved = trial, c, True
                            break
                    if improved:
                        break
                if improved:
                    break
            if improved:
                break
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
