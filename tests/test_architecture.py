"""Who imports whom (docs/architecture.md), read from the source: the rules hold by test, not by habit."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("otg", "members", "events", "interviews")
APPS = ("members", "events", "interviews", "otg.site", "otg.jobs")
LONGEST = 700


def _modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


MODULES = _modules()


def _imports(path: Path, *, module_level: bool) -> set[str]:
    """The modules of ours that ``path`` imports: at module level only, or anywhere in it."""
    tree = ast.parse(path.read_text())
    nodes = tree.body if module_level else list(ast.walk(tree))
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # "from events.services import rsvps" imports the module events.services.rsvps
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(name for name in names if name in MODULES)
    return found


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_the_source_tree_is_read():
    # A control: the rules below would pass on an empty tree.
    assert "events.services.rsvps" in MODULES and "otg.jobs.queue" in MODULES
    assert "otg.jobs.models" in _imports(MODULES["otg.jobs.queue"], module_level=True)


def _reaching(package: str, forbidden: tuple[str, ...]) -> dict[str, set[str]]:
    """Each module of ``package`` that imports (anywhere in it) a module of ``forbidden``, with what."""
    found = {}
    for module, path in MODULES.items():
        if _within(module, package):
            reached = {m for m in _imports(path, module_level=False) if any(_within(m, f) for f in forbidden)}
            if reached:
                found[module] = reached
    return found


def test_shared_blocks_import_no_app():
    """otg.common is what every app builds on: it imports none of them, the job machinery included."""
    assert _reaching("otg.common", APPS) == {}


def test_members_know_nothing_of_events_or_interviews():
    assert _reaching("members", ("events", "interviews")) == {}


def test_the_rules_see_a_forbidden_import():
    # A control: events do import members, so the same reading finds it.
    assert "members.models" in _reaching("events", ("members",)).get("events.services.mail", set())


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles of a graph of module -> the modules it imports (depth-first, each found once)."""
    state: dict[str, str] = {}
    cycles = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in sorted(graph.get(module, ())):
            if state.get(target) == "open":
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return cycles


def test_a_cycle_is_found():
    # A control for the test below.
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_level_import_cycle():
    """A cycle works only while the import order happens to suit it; a new import then breaks start-up."""
    graph = {module: _imports(path, module_level=True) - {module} for module, path in MODULES.items()}
    # A package's __init__ runs before its modules: importing events.services.rsvps imports events.services.
    for module in graph:
        parent = module.rpartition(".")[0]
        while parent:
            if parent in graph:
                graph[module].add(parent)
            parent = parent.rpartition(".")[0]
    assert _cycles(graph) == []


def test_no_module_is_longer_than_a_reader_can_hold():
    lengths = {module: len(path.read_text().splitlines()) for module, path in MODULES.items()}
    assert {module: n for module, n in lengths.items() if n > LONGEST} == {}
    assert max(lengths.values()) > LONGEST // 2  # a control: the lengths are read


def _test_imports(path: Path) -> set[str]:
    """The test modules (``tests.…``) that ``path`` imports, anywhere in it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tests."):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("tests."))
    return found


def _borrowed(imported: str, importer: str) -> bool:
    """Whether importing ``imported`` borrows from another test module rather than a shared helper."""
    shared = imported.startswith("tests.helpers") or imported == "tests.factories"
    within_bench = imported.startswith("tests.bench") and importer.startswith("tests.bench")
    return not (shared or within_bench)


def test_tests_share_helpers_only_through_tests_helpers():
    """A test module that imports another couples two files a reader thinks are apart: what tests share
    lives in tests/helpers/ (and the factories); the benchmark is one package of its own."""
    root = Path(__file__).resolve().parents[1]
    borrowing = {}
    for path in (root / "tests").rglob("*.py"):
        importer = ".".join(path.relative_to(root).with_suffix("").parts)
        bad = {name for name in _test_imports(path) if _borrowed(name, importer)}
        if bad:
            borrowing[importer] = bad
    assert borrowing == {}


def test_the_helpers_rule_sees_a_borrowed_test():
    assert _borrowed("tests.events.test_admin", "tests.events.test_admin_saves")
    assert _borrowed("tests.interviews.conftest", "tests.interviews.test_views")
    assert not _borrowed("tests.helpers.forms", "tests.events.test_admin_saves")
    assert not _borrowed("tests.bench.server", "tests.bench.storm")
    assert _borrowed("tests.bench.server", "tests.otg.test_two_machines")


# What takes a row lock: select_for_update, or one of the services' lock helpers.
LOCKS = ("select_for_update", "event_lock(", "_lock_member(", "_locked_pending(")


def _unguarded_locks(source: str) -> list[str]:
    """Public service functions in ``source`` that take a row lock outside a transaction of their own:
    neither @transaction.atomic nor a ``with transaction.atomic()`` block. A lock helper itself
    (``*_lock``) is called inside its caller's transaction."""
    found = []
    for node in ast.parse(source).body:
        if not isinstance(node, ast.FunctionDef) or node.name.startswith("_") or node.name.endswith("_lock"):
            continue
        body = ast.unparse(node)
        atomic = any("atomic" in ast.unparse(decorator) for decorator in node.decorator_list)
        if any(lock in body for lock in LOCKS) and not (atomic or "transaction.atomic()" in body):
            found.append(node.name)
    return found


def test_every_service_that_locks_a_row_runs_in_a_transaction():
    """A lock outside a transaction is no lock: select_for_update raises, or a helper's lock is let go
    at once (the capacity a host lowered during RSVPs broke when event_save lost its decorator)."""
    services = [path for module, path in MODULES.items() if ".services" in module]
    unguarded = {str(path.relative_to(ROOT)): _unguarded_locks(path.read_text()) for path in services}
    assert {path: names for path, names in unguarded.items() if names} == {}
    assert len(services) > 5  # a control: the services are read


def test_the_lock_rule_sees_a_lock_outside_a_transaction():
    source = (
        "@transaction.atomic\ndef kept(): Event.objects.select_for_update().get()\n"
        "def inner():\n    with transaction.atomic():\n        event_lock(pk=1)\n"
        "def lost(): event_lock(pk=1)\n"
    )
    assert _unguarded_locks(source) == ["lost"]
