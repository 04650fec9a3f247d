"""What every callguard command shares: exit codes, error handling, atomic writes, options.

Kept apart from `callguard.cli` so that command modules (`callguard.redaction.cli`) can use it
without importing the command group that registers them.
"""

from __future__ import annotations

import dataclasses
import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from callguard.atomic import write_atomically as write_atomically  # re-exported for commands
from callguard.config import Config, find_config, load_config
from callguard.errors import CallguardError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(command: F) -> F:
    """Turn our errors into one line and exit 2; never print an exception's text otherwise."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = click.get_current_context().find_root().params.get("debug", False)
        try:
            return command(*args, **kwargs)
        except CallguardError as exc:
            if debug:
                raise
            click.echo(f"callguard: error: {exc}", err=True)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            if debug:
                raise
            # Foreign exception texts can quote input (UnicodeDecodeError does): name the type only.
            click.echo(
                f"callguard: internal error ({exc.__class__.__name__}); rerun with --debug",
                err=True,
            )
        sys.exit(EXIT_ERROR)

    return wrapper  # type: ignore[return-value]


def resolve_config(
    config_path: Path | None, only_rules: str | None, exclude_rules: str | None, fail_on: str | None
) -> Config:
    path = config_path or find_config(Path.cwd())
    config = load_config(path) if path is not None else Config()
    changes: dict[str, Any] = {}
    if only_rules:
        changes["enable"] = parse_ids(only_rules)
    if exclude_rules:
        changes["disable"] = (*config.disable, *parse_ids(exclude_rules))
    if fail_on:
        changes["fail_on"] = fail_on
    return dataclasses.replace(config, **changes)


def parse_ids(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())
