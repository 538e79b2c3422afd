"""Options several commands share, in a module of their own: command modules import it at load time without
touching ``compliance.cli`` (whose import registers the commands, so importing it from a command module early
would be circular)."""
from __future__ import annotations

from pathlib import Path

import click

FORMAT_TEXT_JSON = click.Choice(["text", "json"])
online_option = click.option("--online", is_flag=True, help="Allow the Hugging Face Hub (off by default).")
offline_option = click.option("--offline", is_flag=True, help="Forbid network use (overrides --online).")
policy_option = click.option("--policy", "policy_path", required=True, type=click.Path(path_type=Path),
                             help="The organization's policy file (YAML).")
fail_on_option = click.option("--fail-on", type=click.Choice(["deny", "review"]), default="deny", show_default=True,
                              help="Exit 1 when anything is denied (or, with review, reviewed too).")


def organization_options(func):
    """--mau, --dau, --revenue, --domicile, --region, --use, --sector: per-run overrides of the organization."""
    options = [
        click.option("--mau", type=int, help="Override organization.monthly_active_users."),
        click.option("--dau", type=int, help="Override organization.daily_active_users."),
        click.option("--revenue", type=float, help="Override organization.annual_revenue_usd."),
        click.option("--domicile", help="Override organization.domicile (ISO code)."),
        click.option("--region", "regions", multiple=True, help="Override organization.regions (repeatable)."),
        click.option("--use", type=click.Choice(["commercial", "internal", "research"]), help="Override organization.use."),
        click.option("--sector", type=click.Choice(["private", "government", "defense"]),
                     help="Override organization.sector."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def overrides_from(mau, dau, revenue, domicile, regions, use, sector) -> dict:
    return {"monthly_active_users": mau, "daily_active_users": dau, "annual_revenue_usd": revenue,
            "domicile": domicile, "regions": tuple(regions), "use": use, "sector": sector}
