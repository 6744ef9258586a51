"""The command line: ``python -m magnet_watch.report_build`` (what `make reports` runs).

Exit status: 0 built (or up to date), 1 a notebook failed (named, with its cell
and error), 2 nothing was run: a bad parameter or scenario, or an environment
problem (no kernel, an unwritable output folder), with the fix; also 2 when the
disk filled up during the build (nothing published, the disk and the path named).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from magnet_watch import paths
from magnet_watch.errors import DiskFull, ParameterError
from magnet_watch.reports.build import build, build_scenarios
from magnet_watch.reports.environment import EnvironmentProblem
from magnet_watch.reports.plan import (
    DEFAULT_SCENARIO,
    Project,
    load_scenario,
    parse_cli_params,
    scenario_names,
    scenario_origins,
)
from magnet_watch.reports.run import BuildFailed

EXIT_OK, EXIT_FAILED, EXIT_NOTHING_RAN = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m magnet_watch.report_build",
        description="Run every notebook with papermill into offline HTML reports.",
        epilog="Exit status: 0 built or up to date, 1 a notebook failed, "
        "2 nothing was run (bad parameter, no kernel, unwritable output).",
    )
    parser.add_argument("--scenario", help="scenario name in scenarios/, or 'all'")
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a notebook parameter (repeatable)",
    )
    parser.add_argument("--out", type=Path, default=paths.REPORTS_DIR, help="output folder")
    parser.add_argument("--jobs", type=int, default=None, help="notebooks at once (default: cores)")
    parser.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    parser.add_argument(
        "--fresh-kernels",
        action="store_true",
        help="start each notebook's kernel from scratch instead of forking one "
        "that did the imports (slower; the same outputs)",
    )
    parser.add_argument("--notebooks", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--scenarios-dir", type=Path, default=None, help=argparse.SUPPRESS)
    return parser


def _base_build(args, project: Project, extra: dict) -> None:
    """Build the base case: scenarios/base.yaml (when there is one) and any --param values."""
    values, origin, label = dict(extra), {k: "--param" for k in extra}, "base case"
    if (project.scenarios_dir / f"{DEFAULT_SCENARIO}.yaml").exists():
        scenario = load_scenario(DEFAULT_SCENARIO, project.scenarios_dir)
        values = {**scenario.parameters, **extra}
        origin = scenario_origins(scenario, extra)
        label = f"base case: {scenario.description}"
    if extra:
        label += " (with " + ", ".join(f"{k}={v!r}" for k, v in extra.items()) + ")"
    build(
        args.out,
        project=project,
        values=values,
        origin=origin,
        label=label,
        jobs=args.jobs,
        force=args.force,
        fresh_kernels=args.fresh_kernels,
    )


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (see the module docstring)."""
    args = _parser().parse_args(argv)
    project = Project()
    if args.notebooks or args.scenarios_dir:
        project = Project(
            notebooks_dir=args.notebooks or project.notebooks_dir,
            scenarios_dir=args.scenarios_dir or project.scenarios_dir,
        )
    try:
        extra = parse_cli_params(args.param)
        if args.scenario:
            names = (
                scenario_names(project.scenarios_dir) if args.scenario == "all" else [args.scenario]
            )
            if not names:
                raise ParameterError(f"no scenario files in {project.scenarios_dir}")
            build_scenarios(
                names,
                args.out,
                project=project,
                extra=extra,
                jobs=args.jobs,
                force=args.force,
                fresh_kernels=args.fresh_kernels,
            )
        else:
            _base_build(args, project, extra)
    except (ParameterError, EnvironmentProblem) as exc:
        print(f"error: {exc}\nNothing was run.", file=sys.stderr)
        return EXIT_NOTHING_RAN
    except DiskFull as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_NOTHING_RAN
    except BuildFailed as exc:
        print(f"error: the reports were not updated.\n{exc}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
