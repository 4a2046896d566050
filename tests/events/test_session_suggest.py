"""The suggested schedule (events.suggest) against a brute force over every split on small boards.

What is proved here, by hypothesis over random boards:
- on boards of up to 7 sessions, 3 rooms and 3 slots (300 examples), the suggestion's clashes (members
  facing one, then clashing pairs) equal the optimum found by trying every assignment of sessions to
  slots; the search is exact up to EXACT_LIMIT (10) placed sessions, the brute force is what limits
  the boards tried;
- above EXACT_LIMIT (boards of 11 to 16 sessions), the suggestion is a local optimum: no single move of
  a session to a slot with room, and no swap of two sessions, lowers the clashes (no bound on the
  distance to the optimum is claimed there);
- always: the most wanted sessions are placed, at most one per room and slot, and within a slot the
  more wanted session never has the smaller room.
"""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from events import suggest


@st.composite
def boards(draw, max_sessions=7, max_members=6):
    n = draw(st.integers(min_value=0, max_value=max_sessions))
    members = draw(st.integers(min_value=1, max_value=max_members))
    wanted = {
        s: frozenset(draw(st.sets(st.integers(min_value=1, max_value=members), max_size=members)))
        for s in range(1, n + 1)
    }
    rooms = {100 + r: draw(st.integers(min_value=1, max_value=50)) for r in range(draw(st.integers(1, 3)))}
    slots = tuple(range(1000, 1000 + draw(st.integers(1, 3))))
    interest = {s: len(w) for s, w in wanted.items()}
    return suggest.Board(wanted=wanted, rooms=rooms, slots=slots, interest=interest)


def _groups(board, assignment):
    return [[s for s, (_room, slot) in assignment.items() if slot == each] for each in board.slots]


def brute_force(board) -> tuple[int, int]:
    """The least clashes of any assignment of the placed sessions to slots, each slot at most as full
    as there are rooms."""
    sessions = suggest.placed_sessions(board)
    width = len(board.rooms)
    best = None
    for choice in itertools.product(range(len(board.slots)), repeat=len(sessions)):
        if any(choice.count(i) > width for i in range(len(board.slots))):
            continue
        groups = [
            [s for s, c in zip(sessions, choice, strict=True) if c == i] for i in range(len(board.slots))
        ]
        cost = suggest.cost(groups, board.wanted)
        best = cost if best is None or cost < best else best
    return best if best is not None else (0, 0)


def _well_formed(board, assignment):
    places = list(assignment.values())
    assert len(places) == len(set(places))  # one session per room and slot
    assert set(assignment) == set(suggest.placed_sessions(board))
    for slot in board.slots:
        here = [
            (board.interest[s], board.rooms[room]) for s, (room, each) in assignment.items() if each == slot
        ]
        for (wa, seats_a), (wb, seats_b) in itertools.combinations(here, 2):
            assert not (wa > wb and seats_a < seats_b) and not (wb > wa and seats_b < seats_a)


@settings(max_examples=300, deadline=None)
@given(boards())
def test_suggestion_equals_the_brute_force_optimum_on_small_boards(board):
    assignment = suggest.suggest(board)
    _well_formed(board, assignment)
    assert suggest.cost(_groups(board, assignment), board.wanted) == brute_force(board)


@settings(max_examples=60, deadline=None)
@given(boards(max_sessions=16, max_members=10).filter(lambda b: len(b.wanted) > suggest.EXACT_LIMIT))
def test_suggestion_on_larger_boards_is_a_local_optimum(board):
    assignment = suggest.suggest(board)
    _well_formed(board, assignment)
    groups = _groups(board, assignment)
    found = suggest.cost(groups, board.wanted)
    width = len(board.rooms)
    for a, b in itertools.permutations(range(len(groups)), 2):
        for i in range(len(groups[a])):
            if len(groups[b]) < width:
                moved = [list(g) for g in groups]
                moved[b].append(moved[a].pop(i))
                assert suggest.cost(moved, board.wanted) >= found
            for j in range(len(groups[b])):
                swapped = [list(g) for g in groups]
                swapped[a][i], swapped[b][j] = swapped[b][j], swapped[a][i]
                assert suggest.cost(swapped, board.wanted) >= found


def test_brute_force_finds_a_clash_the_greedy_order_would_make():
    # A control that the comparison means something: members 1 and 2 both want sessions 1 and 2, and
    # an assignment that puts them together has clashes the optimum (and the suggestion) avoids.
    board = suggest.Board(
        wanted={1: frozenset({1, 2}), 2: frozenset({1, 2}), 3: frozenset({3})},
        rooms={10: 5, 11: 5},
        slots=(100, 101),
        interest={1: 2, 2: 2, 3: 1},
    )
    assert suggest.cost([[1, 2], [3]], board.wanted) == (2, 2)
    assert brute_force(board) == (0, 0)
    assignment = suggest.suggest(board)
    assert assignment[1][1] != assignment[2][1]
    assert assignment[1][0] == 10 or assignment[2][0] == 10  # the most wanted into the largest room
