"""The rendered demo report in ``docs/demo-insights/`` is exactly what the commands write now."""

from __future__ import annotations

from pathlib import Path

from fireside.commands.cli import main

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "docs" / "demo-insights"


def test_shipped_demo_report_is_current(tmp_path: Path) -> None:
    config = str(ROOT / "mkdocs.yml")
    assert main(["insights", "-f", config, "-o", str(tmp_path)]) == 0
    assert main(["inbox", "-f", config, "-o", str(tmp_path)]) == 0
    fresh = {p.relative_to(tmp_path).as_posix(): p.read_bytes()
             for p in sorted(tmp_path.rglob("*")) if p.is_file()}
    shipped = {p.relative_to(SHIPPED).as_posix(): p.read_bytes()
               for p in sorted(SHIPPED.rglob("*")) if p.is_file()}
    assert sorted(fresh) == sorted(shipped)
    stale = [name for name in fresh if fresh[name] != shipped[name]]
    assert stale == [], ("docs/demo-insights is out of date; regenerate it with "
                         "'fireside insights -o docs/demo-insights' and 'fireside inbox -o "
                         "docs/demo-insights'")
