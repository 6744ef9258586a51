"""Check, before any notebook runs, that the build can work: its kernel and its output folder.

Each problem fails the build once, with the fix, instead of a traceback per notebook.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from magnet_watch.reports.run import BuildFailed


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


def check_writable(out: Path) -> None:
    """Raise EnvironmentProblem unless the build can create ``out`` and its stage beside it."""
    out = Path(out).absolute()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        probe = tempfile.mkdtemp(prefix=f".{out.name}.probe-", dir=out.parent)
        shutil.rmtree(probe, ignore_errors=True)  # the next build's recover() also may
        if out.exists() and not (out.is_dir() and os.access(out, os.W_OK | os.X_OK)):
            raise PermissionError(13, "not a writable folder", str(out))
    except OSError as exc:
        where = exc.filename or out.parent
        raise EnvironmentProblem(
            f"cannot write the reports to {out}: {where}: {exc.strerror or exc}. "
            "Make the folder writable, or build elsewhere with --out"
        ) from None
