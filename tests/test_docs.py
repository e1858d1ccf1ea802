"""The docs that state a list are kept true: settings, the code map, links, the README's size."""

from __future__ import annotations

import re
from pathlib import Path

from notes.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PACKAGES = ("transcribe", "notes", "bot")
README_MAX_LINES = 160


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_every_setting_is_in_the_configuration_reference() -> None:
    table = read(DOCS / "configuration.md")
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", table, re.MULTILINE))
    aliases = {field.alias for field in Settings.model_fields.values()}
    assert aliases - documented == set(), "settings missing from docs/configuration.md"
    assert documented - aliases == set(), "docs/configuration.md names settings that do not exist"


def code_map_sections() -> dict[str, set[str]]:
    """`## folder/` headings of the code map, each with the module names listed under it."""
    sections: dict[str, set[str]] = {}
    current: set[str] | None = None
    for line in read(DOCS / "code-map.md").splitlines():
        heading = re.fullmatch(r"## (\S+)/", line)
        if heading:
            current = sections.setdefault(heading.group(1), set())
        elif line.startswith("## "):
            current = None
        elif current is not None and re.match(r"\s*- `|\s+`", line):
            head = line.split(" — ", 1)[0]
            current.update(re.findall(r"`([a-z_]+)`", head))
    return sections


def package_modules() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for package in PACKAGES:
        for init in sorted((ROOT / package).rglob("__init__.py")):
            folder = init.parent
            if "prompts" in folder.parts:
                continue
            found[folder.relative_to(ROOT).as_posix()] = {
                path.stem for path in folder.glob("*.py") if not path.stem.startswith("__")
            }
    return found


def test_the_code_map_names_every_module_and_no_other() -> None:
    listed, modules = code_map_sections(), package_modules()
    assert sorted(listed) == sorted(modules)
    for folder, names in modules.items():
        assert names - listed[folder] == set(), f"docs/code-map.md misses modules of {folder}/"
        assert listed[folder] - names == set(), f"docs/code-map.md names gone modules of {folder}/"


def test_every_relative_link_in_the_readme_and_docs_resolves() -> None:
    for page in [ROOT / "README.md", *DOCS.glob("*.md")]:
        prose = re.sub(r"```.*?```", "", read(page), flags=re.DOTALL)
        prose = re.sub(r"^    .*$", "", prose, flags=re.MULTILINE)  # indented code
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", prose):
            if "://" in target:
                continue
            assert (page.parent / target).exists(), f"{page.name}: {target}"


def test_every_docs_page_is_linked_from_the_docs_index() -> None:
    index = read(DOCS / "README.md")
    for page in DOCS.glob("*.md"):
        if page.name != "README.md":
            assert f"]({page.name})" in index, f"docs/README.md does not link {page.name}"


def test_the_readme_is_a_short_guide_that_starts_with_the_two_commands() -> None:
    readme = read(ROOT / "README.md")
    assert len(readme.splitlines()) <= README_MAX_LINES
    first_block = readme.split("```sh\n", 1)[1].split("```", 1)[0]
    ci = read(ROOT / ".ci" / "run").strip().splitlines()[-1]
    assert ci in first_block.splitlines()
    assert "voicenotes init ~/kb" in first_block and "voicenotes serve --kb ~/kb" in first_block


def test_the_shipped_service_unit_runs_serve() -> None:
    unit = read(ROOT / "contrib" / "voicenotes.service")
    assert re.search(r"^ExecStart=\S+/voicenotes serve --kb \S+$", unit, re.MULTILINE)
    assert "Restart=on-failure" in unit and "EnvironmentFile=" in unit


def test_the_licence_is_mit_as_the_package_says() -> None:
    assert read(ROOT / "LICENSE").startswith("MIT License")
    assert 'license = "MIT"' in read(ROOT / "pyproject.toml")
