"""The files around the package: README commands, CI, markers, license, citation, changelog."""

import re
import shlex
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")

TEST_COMMAND = "pip install -e '.[test,torch]' && pytest"
BROWSER_COMMAND = "pytest -m browser docs/test_site_browser.py"


def _bash_blocks(text: str) -> list[str]:
    return [line for block in re.findall(r"```bash\n(.*?)```", text, re.S)
            for line in block.splitlines()]


def test_readme_test_command_runs_verbatim_in_ci():
    assert TEST_COMMAND in _bash_blocks(README)
    assert f"( {TEST_COMMAND} ) || status=$?" in CI


def test_ci_runs_the_browser_test_as_the_readme_says_after_the_test_command():
    assert f"`{BROWSER_COMMAND}`" in README
    assert f"\n{BROWSER_COMMAND} || status=$?" in CI
    assert CI.index(TEST_COMMAND) < CI.index(BROWSER_COMMAND)
    assert "apt-get install -y" in CI and "chromium" in CI


def test_ci_fails_on_no_tests_collected():
    assert '[ "$status" -eq 5 ]' in CI
    assert CI.count("|| status=$?") == CI.count('check "$status"') == 4


def test_readme_demo_is_lean():
    (demo,) = [line for line in _bash_blocks(README) if line.endswith("hyperarr demo")]
    extras = re.fullmatch(r"pip install -e '\.\[(\w+(?:,\w+)*)\]' && hyperarr demo", demo)
    assert extras is not None and extras[1].split(",") == ["plot"]
    assert PYPROJECT["project"]["optional-dependencies"]["plot"] == ["matplotlib>=3.8"]
    assert "hyperarr-demo/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_slow_and_browser_tests_are_registered_and_left_out():
    options = PYPROJECT["tool"]["pytest"]["ini_options"]
    markers = {m.split(":", 1)[0] for m in options["markers"]}
    assert {"slow", "browser"} <= markers
    args = shlex.split(options["addopts"])
    assert args[args.index("-m") + 1] == "not slow and not browser"
    assert "README.md" in options["testpaths"]


def test_regioncam_is_in_the_test_and_bench_extras():
    extras = PYPROJECT["project"]["optional-dependencies"]
    for extra in ("test", "bench"):
        assert any(re.match(r"regioncam\b", req) for req in extras[extra]), extra


def test_the_torch_pin_stays():
    assert PYPROJECT["project"]["optional-dependencies"]["torch"] == ["torch==2.13.0"]


def test_the_license_file_ships():
    assert PYPROJECT["project"]["license"] == "BSD-3-Clause"
    assert PYPROJECT["project"]["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("BSD 3-Clause License")


def test_citation_matches_the_package():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert {"message", "title", "authors"} <= set(cff)
    assert cff["version"] == PYPROJECT["project"]["version"]
    assert cff["license"] == PYPROJECT["project"]["license"]


def test_the_changelog_has_the_version():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in text
    assert re.search(rf"^## \[{re.escape(PYPROJECT['project']['version'])}\] - \d{{4}}-\d\d-\d\d$",
                     text, re.M)


def test_install_advice_works_from_a_clone():
    """hyperarr is on no package index: advice is pip install -e '.[extra]'."""
    paths = [ROOT / "README.md", *sorted((ROOT / "hyperarr").rglob("*.py")),
             *sorted((ROOT / "docs").rglob("*.md"))]
    found = [f"{p.relative_to(ROOT)}" for p in paths
             if re.search(r"pip install \S*hyperarr\[", p.read_text(encoding="utf-8"))]
    assert found == []
