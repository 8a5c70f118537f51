"""`flask --app app token create EMAIL --name NAME`, `token revoke ID`, `token list`.

For operators without the admin pages at hand (setting up a partner from a shell). The token
is printed once, on stdout alone, so `… token create … > file` captures exactly the secret.
"""

from __future__ import annotations

import sys

import click

from survey.services import tokens


@click.group("token", help="Issue, list and revoke staff API tokens.")
def token_group() -> None:
    pass


@token_group.command("create", help="Issue an API token for a staff member (shown once).")
@click.argument("email")
@click.option("--name", required=True, help="What the token is for, e.g. a partner's name.")
def token_create(email: str, name: str) -> None:
    try:
        issued = tokens.issue(email, name)
    except tokens.TokenError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Token {issued.id} ({issued.name}) for {issued.email}. It is shown only "
               "now; store it safely:", err=True)
    click.echo(issued.token)


@token_group.command("revoke", help="Revoke an API token by its id.")
@click.argument("token_id", type=int)
def token_revoke(token_id: int) -> None:
    if not tokens.revoke(token_id):
        click.echo(f"error: no active token with id {token_id}", err=True)
        sys.exit(1)
    click.echo(f"Token {token_id} revoked.")


@token_group.command("list", help="List API tokens (never their secrets).")
def token_list() -> None:
    for row in tokens.list_tokens():
        state = "active" if row.active else f"revoked {row.revoked_at:%Y-%m-%d}"
        used = f"{row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "never"
        click.echo(f"{row.id}\t{row.name}\t{row.email}\t{state}\tlast used {used}")
