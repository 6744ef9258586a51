"""One convention for the project's commands: ``python -m magnet_watch.<command>``.

`make help` lists each command with the targets that run it (read from the Makefile's
recipes), every command the README and docs/ name is one of them, and each answers
``--help`` under the name it is listed by.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from magnet_watch import paths

ROOT = paths.PROJECT_ROOT
COMMAND = re.compile(r"python -m (magnet_watch(?:\.[a-z_]+)+)")


def listed_commands() -> dict[str, str]:
    """The commands block of `make help`: command -> the targets that run it."""
    out = subprocess.run(
        ["make", "-s", "--no-print-directory", "help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    block = out.split("Commands (", 1)[1].splitlines()[1:]
    return {
        m.group(1): line.split(m.group(1), 1)[1].strip()
        for line in block
        if (m := COMMAND.search(line))
    }


def named_in_prose() -> dict[str, list[str]]:
    """Every ``python -m magnet_watch.<x>`` the README, docs/ and the Makefile's recipes name."""
    named: dict[str, list[str]] = {}
    for path in [ROOT / "README.md", ROOT / "Makefile", *sorted((ROOT / "docs").glob("*.md"))]:
        for match in COMMAND.finditer(path.read_text(encoding="utf-8")):
            named.setdefault(match.group(1), []).append(path.name)
    return named


def test_make_help_lists_each_command_with_the_targets_that_run_it():
    listed = listed_commands()
    assert listed["magnet_watch.report_build"] == "make reports, make scenarios, make bench"
    assert listed["magnet_watch.audit"] == "make audit"
    assert listed["magnet_watch.curation"] == "make add-document, make candidates"


def test_every_command_the_readme_and_docs_name_is_listed_by_make_help():
    listed = listed_commands()
    unlisted = {
        command: where for command, where in named_in_prose().items() if command not in listed
    }
    assert not unlisted, f"commands named but not listed by `make help`: {unlisted}"


@pytest.mark.parametrize("command", sorted(listed_commands()))
def test_each_listed_command_answers_help_under_its_listed_name(command):
    done = subprocess.run(
        [sys.executable, "-m", command, "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"usage: python -m {command}"), done.stdout[:200]
