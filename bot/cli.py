"""The ``bot`` command: ``bot serve``, ``bot seed``, ``bot db upgrade``, ``bot agents ...``.

Each subcommand is one ``_add_<name>`` function that registers its parser
and handler; add new subcommands the same way.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url

from bot import log_privacy
from bot.settings import Settings, SettingsError, get_settings

if TYPE_CHECKING:
    from bot.escalation.agent_admin import AgentAdministration


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``bot`` command line; return the exit status."""
    log_privacy.install()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args, get_settings()) or 0)
    except SettingsError as error:
        print(f"bot: {error}", file=sys.stderr)
        return 2


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="bot", description="Nordlicht assistant services.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_serve(commands)
    _add_seed(commands)
    _add_db(commands)
    _add_agents(commands)
    return parser


def _add_serve(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser("serve", help="migrate the CRM, then run the bot service")
    serve.add_argument("--host", help="interface (default: BOT_HOST)")
    serve.add_argument("--port", type=int, help="port (default: BOT_PORT)")
    serve.set_defaults(handler=_serve)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from bot.crm.db import upgrade_database
    from bot.web.app import create_app

    settings.require_crm_api_token()
    settings.escalation.require_agent_token_secret()
    upgrade_database(settings.crm_database_url)
    app = create_app(settings)
    # ws="none": rasa pins websockets 10, which uvicorn's websocket support cannot use.
    uvicorn.run(
        app, host=args.host or settings.bot_host, port=args.port or settings.bot_port, ws="none"
    )
    return 0


def _add_seed(commands: argparse._SubParsersAction) -> None:
    seed = commands.add_parser("seed", help="migrate and fill the CRM with demo data")
    seed.add_argument(
        "--population", type=int, help="generated customers besides the demo ones (default 2000)"
    )
    seed.add_argument(
        "--slot-weeks", type=int, help="weeks of workshop slots from today (default 6)"
    )
    seed.add_argument(
        "--today",
        type=date.fromisoformat,
        help="the day of loading, YYYY-MM-DD: demo dates are relative to it (default today)",
    )
    seed.set_defaults(handler=_seed)


def _seed(args: argparse.Namespace, settings: Settings) -> int:
    from bot.crm.db import create_crm_engine, upgrade_database
    from bot.crm.seed import seed_database

    engine = create_crm_engine(settings.crm_database_url)
    try:
        upgrade_database(engine)
        options = {"population": args.population, "slot_weeks": args.slot_weeks}
        report = seed_database(
            engine,
            today=args.today,
            progress=lambda message: print(f"seed: {message}", flush=True),
            **{name: value for name, value in options.items() if value is not None},
        )
    finally:
        engine.dispose()
    size = _database_file_size(settings.crm_database_url)
    where = f", {size / 1_000_000:.1f} MB on disk" if size is not None else ""
    print(f"seed: done in {report.seconds:.1f} s{where}")
    return 0


def _add_db(commands: argparse._SubParsersAction) -> None:
    db = commands.add_parser("db", help="CRM database maintenance")
    actions = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = actions.add_parser("upgrade", help="apply all schema migrations")
    upgrade.set_defaults(handler=_db_upgrade)


def _db_upgrade(_args: argparse.Namespace, settings: Settings) -> int:
    from bot.crm.db import upgrade_database

    upgrade_database(settings.crm_database_url)
    print("db: schema is up to date")
    return 0


def _add_agents(commands: argparse._SubParsersAction) -> None:
    agents = commands.add_parser("agents", help="agent desk accounts")
    actions = agents.add_subparsers(dest="agents_command", required=True, metavar="ACTION")
    create = actions.add_parser(
        "create", help="create an agent (password from --password or standard input)"
    )
    create.add_argument("--username", required=True, help="login name (no spaces)")
    create.add_argument("--password", help="at least 8 characters; omit to read it from stdin")
    create.add_argument("--display-name", help='name customers see, e.g. "Frau Keller"')
    create.add_argument(
        "--role",
        action="append",
        default=[],
        metavar="ROLE",
        help="agent (default), lead, trainer or privacy; repeat for several",
    )
    create.set_defaults(handler=_agents_create)
    listing = actions.add_parser("list", help="list the accounts (username, name, state)")
    listing.set_defaults(handler=_agents_list)
    for name, active in (("disable", False), ("enable", True)):
        toggle = actions.add_parser(name, help=f"{name} an account (disabling ends its sessions)")
        toggle.add_argument("--username", required=True)
        toggle.set_defaults(handler=_agents_set_active, active=active)
    reset = actions.add_parser(
        "reset-password", help="set a new password (from --password or stdin); ends sessions"
    )
    reset.add_argument("--username", required=True)
    reset.add_argument("--password", help="at least 8 characters; omit to read it from stdin")
    reset.set_defaults(handler=_agents_reset_password)


def _agents_create(args: argparse.Namespace, settings: Settings) -> int:
    from bot.crm.db import create_crm_engine, upgrade_database
    from bot.escalation.agents import AgentDirectory
    from bot.escalation.errors import AgentExists
    from bot.escalation.roles import parse_roles

    try:
        roles = parse_roles(args.role)
    except ValueError as error:
        print(f"bot agents create: {error}", file=sys.stderr)
        return 2
    password = args.password if args.password is not None else _read_password()
    engine = create_crm_engine(settings.crm_database_url)
    try:
        upgrade_database(engine)
        agent = AgentDirectory(engine).create_agent(
            args.username, password, args.display_name, roles
        )
    except (ValueError, AgentExists) as error:
        print(f"bot agents create: {error}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(
        f"agents: created {agent.username} ({agent.display_name}), id {agent.id}, "
        f"roles {', '.join(agent.roles)}"
    )
    return 0


def _agent_admin(settings: Settings, change: Callable[[AgentAdministration], str]) -> int:
    from bot.crm.db import create_crm_engine, upgrade_database
    from bot.escalation.agent_admin import AgentAdministration, UnknownAgent

    engine = create_crm_engine(settings.crm_database_url)
    try:
        upgrade_database(engine)
        print(change(AgentAdministration(engine)))
    except (ValueError, UnknownAgent) as error:
        print(f"bot agents: {error}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


def _agents_list(_args: argparse.Namespace, settings: Settings) -> int:
    def listing(admin: AgentAdministration) -> str:
        rows = [
            f"{a.id:>4}  {a.username:<20} {'aktiv' if a.active else 'gesperrt':<9} "
            f"{a.display_name}  [{', '.join(a.roles)}]  (zuletzt: "
            f"{a.last_seen_at.strftime('%d.%m.%Y %H:%M') if a.last_seen_at else '–'})"
            for a in admin.list_agents()
        ]
        return "\n".join(rows) if rows else "agents: no accounts"

    return _agent_admin(settings, listing)


def _agents_set_active(args: argparse.Namespace, settings: Settings) -> int:
    def toggle(admin: AgentAdministration) -> str:
        admin.set_active(args.username, args.active)
        return f"agents: {args.username} {'enabled' if args.active else 'disabled'}"

    return _agent_admin(settings, toggle)


def _agents_reset_password(args: argparse.Namespace, settings: Settings) -> int:
    password = args.password if args.password is not None else _read_password()

    def reset(admin: AgentAdministration) -> str:
        admin.reset_password(args.username, password)
        return f"agents: new password for {args.username}; its sessions are ended"

    return _agent_admin(settings, reset)


def _read_password() -> str:
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("Password: ")
    return sys.stdin.readline().rstrip("\r\n")


def _database_file_size(url: str) -> int | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    path = Path(parsed.database)
    return path.stat().st_size if path.exists() else None


if __name__ == "__main__":
    sys.exit(main())
