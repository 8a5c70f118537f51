"""Staff and operations commands: staff accounts, demo data, rescore, purge."""

from __future__ import annotations

import click

commands: list[click.Command] = []
