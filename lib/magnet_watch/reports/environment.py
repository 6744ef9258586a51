"""Check, before any notebook runs, that the build can work: its kernel and its output folder.

Each problem fails the build once, with the fix, instead of a traceback per notebook.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from magnet_watch import paths
from magnet_watch.reports.plan import Project
from magnet_watch.reports.run import BuildFailed, log


class EnvironmentProblem(BuildFailed):
    """The environment cannot run the build (no kernel, unwritable output); nothing ran."""


KERNEL_FIX = "run `make env` to register the kernel"


def check_kernel(name: str) -> None:
    """Raise EnvironmentProblem unless the Jupyter kernel ``name`` exists and can start."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        raise EnvironmentProblem(
            f"the Jupyter kernel {name!r} is not installed: {KERNEL_FIX}"
        ) from None
    except (OSError, ValueError) as exc:  # an unreadable or malformed kernel.json
        raise EnvironmentProblem(
            f"the Jupyter kernel {name!r} has a broken kernel.json ({exc}): {KERNEL_FIX}"
        ) from None
    program = spec.argv[0] if spec.argv else ""
    found = program if os.path.isabs(program) else shutil.which(program)
    if not found or not os.access(found, os.X_OK):
        raise EnvironmentProblem(
            f"the Jupyter kernel {name!r} ({spec.resource_dir}/kernel.json) starts "
            f"{program!r}, which does not exist: {KERNEL_FIX} again"
        )


# Inside the project a build writes only here: everything else in it is a build's input (or
# the code and the environment that run it), which the build hashes, reads or runs.
OUTPUT_FOLDERS_IN_PROJECT = tuple(
    folder.relative_to(paths.PROJECT_ROOT) for folder in (paths.REPORTS_DIR, paths.BUILD_DIR)
)


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def output_folder(out: Path, project: Project) -> Path:
    """Return the folder a build of ``project`` writes to: ``out`` made absolute (against the
    current folder, before any kernel runs elsewhere), with a symlink followed to its target.

    Raises EnvironmentProblem, before anything runs, when ``out`` is the project itself or
    holds it, or lies among its inputs (data/, seeds/, notebooks/, lib/ ...): a build there
    would publish into, or swap away, what it reads.
    """
    given = Path(os.path.abspath(out))
    real = given.resolve()
    if real != given:
        log(f"{given} is a symlink to {real}: building there")
    root = Path(os.path.realpath(project.root))
    inputs = [
        Path(os.path.realpath(p))
        for p in (project.root, project.notebooks_dir, project.scenarios_dir, project.data_dir)
    ]
    allowed = [root / folder for folder in OUTPUT_FOLDERS_IN_PROJECT]
    for folder in inputs:
        if _within(folder, real):
            raise EnvironmentProblem(
                f"cannot write the reports to {given}: it is or holds {folder}, which the build "
                "reads (a build swaps its output folder away). Build into reports/ or "
                "build/<name>, or a folder outside the project, with --out"
            )
    inside_input = [f for f in inputs[1:] if _within(real, f)]
    if _within(real, root) and not any(_within(real, f) for f in allowed):
        inside_input.append(root)
    if inside_input:
        raise EnvironmentProblem(
            f"cannot write the reports to {given}: it lies inside {inside_input[0]}, among the "
            "project's inputs. Build into reports/ or build/<name>, or a folder outside the "
            "project, with --out"
        )
    return real


def check_writable(out: Path) -> None:
    """Raise EnvironmentProblem unless the build can create ``out`` and its stage beside it."""
    out = Path(out).absolute()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        probe = tempfile.mkdtemp(prefix=f".{out.name}.probe-", dir=out.parent)
        shutil.rmtree(probe, ignore_errors=True)  # the next build's recover() also may
        if out.exists() and not (out.is_dir() and os.access(out, os.W_OK | os.X_OK)):
            raise PermissionError(13, "not a writable folder", str(out))
        # The old tree is removed after the swap: a folder in it that cannot be emptied
        # would stay beside the new reports for good.
        for folder, _, _ in os.walk(out) if out.is_dir() else ():
            if not os.access(folder, os.W_OK | os.X_OK):
                raise PermissionError(13, "a folder the build cannot empty", folder)
    except OSError as exc:
        where = exc.filename or out.parent
        raise EnvironmentProblem(
            f"cannot write the reports to {out}: {where}: {exc.strerror or exc}. "
            "Make the folder writable, or build elsewhere with --out"
        ) from None
