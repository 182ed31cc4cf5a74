"""Each input file is read once: its bytes are hashed, parsed and cached as one.

The reader is replaced by one that changes the file on disk after every read, as an editor
saving twice or a ``git checkout`` in another terminal would. Whatever the interleaving of
versions, every cache entry holds the agreement of exactly the bytes its key names, and a later
run on a file prints that file's own totals.
"""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import pytest

from budget2024 import cache, filebytes, session
from budget2024.load import load
from budget2024.session import load_inputs

from .conftest import FIXTURES

A_TEXT = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")
B_TEXT = A_TEXT.replace("amounts: {2030: 150, 2031: 300}", "amounts: {2030: 170, 2031: 300}").replace(
    '"1.2 Ny park 150 300', '"1.2 Ny park 170 300')
assert A_TEXT != B_TEXT


@pytest.fixture(autouse=True)
def _cache_on() -> object:
    yield
    cache.switch_off(False)


class FlippingReader:
    """``read_bytes`` that, after each read, writes the next version of the file to disk."""

    def __init__(self, path: Path, versions: list[str]) -> None:
        self.path = path
        self.versions = list(versions)
        self.reads = 0
        self.real = filebytes.read_bytes
        path.write_text(self.versions[0], encoding="utf-8")

    def __call__(self, path: Path, display: str, *given: str) -> bytes:
        raw = self.real(path, display, *given)
        if Path(path) == self.path:
            self.reads += 1
            nxt = self.versions[min(self.reads, len(self.versions) - 1)]
            self.path.write_text(nxt, encoding="utf-8")
        return raw


def totals(agreement: object) -> list[tuple[str, dict[int, int]]]:
    return [(line.id, dict(line.amounts)) for line in agreement.lines]  # type: ignore[attr-defined]





def check_every_entry(tmp_path: Path) -> int:
    """Every entry's key names the bytes its content was read from."""
    want = {}
    for text in (A_TEXT, B_TEXT):
        f = tmp_path / "ref.yaml"
        f.write_text(text, encoding="utf-8")
        want[filebytes.sha256(text.encode())] = totals(load(f, "ref.yaml"))
    directory = cache.cache_dir()
    assert directory is not None
    n = 0
    for entry in cache.iter_entries(directory) if directory.exists() else []:
        with entry.open("rb") as fh:
            fh.readline()
            header = json.loads(fh.readline())
        sha = header["file_sha256"]
        assert sha in want
        got = cache.read_entry(entry, cache.identity(sha), tmp_path / "ref.yaml")
        assert got is not None
        assert totals(got) == want[sha], "an entry holds the data of other bytes than its key names"
        n += 1
    return n


@pytest.mark.parametrize("versions", [list(v) for v in itertools.product("AB", repeat=3)])
def test_no_interleaving_of_edits_leaves_an_entry_whose_key_and_content_differ(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, versions: list[str]) -> None:
    path = tmp_path / "data" / "agreement.yaml"
    path.parent.mkdir()
    texts = [A_TEXT if v == "A" else B_TEXT for v in versions]
    reader = FlippingReader(path, texts)
    monkeypatch.setattr(filebytes, "read_bytes", reader)
    for trust in (False, True, True):  # validate (refresh), then two cached runs
        before = reader.reads
        path.write_text(texts[reader.reads % len(texts)], encoding="utf-8")
        on_disk = path.read_bytes()
        got = session.load_agreement(path, trust_cache=trust)
        assert reader.reads == before + 1, "the file was read more than once"
        # what was returned is the file as it was read
        ref = tmp_path / "ref.yaml"
        ref.write_bytes(on_disk)
        assert totals(got) == totals(load(ref))
    assert check_every_entry(tmp_path) >= 1


def test_the_bytes_read_are_the_bytes_parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A, then B on disk: the run reads A once and prints A; the entry under A's key holds A; the
    # next run on B reads B's own data (before the fix, B's data was stored under A's key)
    path = tmp_path / "data" / "agreement.yaml"
    path.parent.mkdir()
    reader = FlippingReader(path, [A_TEXT, B_TEXT])
    monkeypatch.setattr(filebytes, "read_bytes", reader)
    first = session.load_agreement(path)
    assert dict(first.lines[0].amounts) == {2030: 150, 2031: 300}
    assert path.read_text(encoding="utf-8") == B_TEXT
    path.write_text(A_TEXT, encoding="utf-8")  # the file is put back
    again = session.load_agreement(path)
    assert cache.last_status == "hit"
    assert dict(again.lines[0].amounts) == {2030: 150, 2031: 300}
    check_every_entry(tmp_path)


def test_check_strategy_reads_the_agreement_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = Path(__file__).resolve().parent / "catalogue" / "valid-strategy.yaml"
    path = tmp_path / "agreement.yaml"
    shutil.copy(src, path)
    reads: list[str] = []
    real = filebytes.read_bytes

    def counting(p: Path, display: str, *given: str) -> bytes:
        reads.append(str(p))
        return real(p, display, *given)

    monkeypatch.setattr(filebytes, "read_bytes", counting)
    overlay = tmp_path / "figures.yaml"
    overlay.write_text("key_figures:\n  population: {2024: 51237}\n", encoding="utf-8")
    load_inputs(path, [overlay])
    assert reads.count(str(path)) == 1
    assert reads.count(str(overlay)) == 1


def test_a_command_with_follow_up_files_hashes_the_agreement_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                  ) -> None:
    # the follow-up cache is keyed by the hash of the agreement's bytes as the session loaded them
    from budget2024.ledger import Ledger

    fixtures = Path(__file__).resolve().parent / "fixtures"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    hashed: list[int] = []
    real = filebytes.sha256

    def counting(raw: bytes) -> str:
        hashed.append(len(raw))
        return real(raw)

    def no_second_hash(path: Path) -> str:
        raise AssertionError(f"{path} was hashed again")

    monkeypatch.setattr(filebytes, "sha256", counting)
    monkeypatch.setattr(cache, "file_sha256", no_second_hash)
    agreement = fixtures / "committee.yaml"
    for _ in range(2):  # a miss that stores both entries, then hits
        hashed.clear()
        ledger = Ledger(session.load_agreement(agreement))
        session.load_followup([fixtures / "followup" / "klima.yaml"], ledger, agreement)
        assert hashed.count(agreement.stat().st_size) == 1
