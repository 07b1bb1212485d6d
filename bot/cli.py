"""The ``bot`` command: ``serve``, ``seed``, ``db upgrade``, ``agents ...``, ``privacy ...``.

Each subcommand is one ``_add_<name>`` function that registers its parser
and handler; add new subcommands the same way.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url

from bot import log_privacy
from bot.settings import Settings, SettingsError, get_settings

if TYPE_CHECKING:
    from bot.escalation.agent_admin import AgentAdministration
    from bot.privacy.wiring import PrivacyFeature


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
    _add_privacy(commands)
    return parser


def _add_serve(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = commands.add_parser("serve", help="migrate the CRM, then run the bot service")
    serve.add_argument("--host", help="interface (default: BOT_HOST)")
    serve.add_argument("--port", type=int, help="port (default: BOT_PORT)")
    serve.set_defaults(handler=_serve)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from bot.crm.db import upgrade_database
    from bot.escalation.settings import EscalationSettings
    from bot.web.app import create_app

    settings.require_crm_api_token()
    EscalationSettings.from_env().require_agent_token_secret()
    upgrade_database(settings.crm_database_url)
    _upgrade_escalations(settings)
    app = create_app(settings)
    # ws="none": rasa pins websockets 10, which uvicorn's websocket support cannot use.
    uvicorn.run(
        app, host=args.host or settings.bot_host, port=args.port or settings.bot_port, ws="none"
    )
    return 0


def _add_seed(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
        _upgrade_escalations(settings)
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


def _add_db(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    db = commands.add_parser("db", help="CRM database maintenance")
    actions = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = actions.add_parser("upgrade", help="apply all schema migrations")
    upgrade.set_defaults(handler=_db_upgrade)


def _db_upgrade(_args: argparse.Namespace, settings: Settings) -> int:
    from bot.crm.db import upgrade_database

    upgrade_database(settings.crm_database_url)
    _upgrade_escalations(settings)
    print("db: schema is up to date")
    return 0


def _escalation_database_url(settings: Settings) -> str:
    """Return where the escalation tables live: ESCALATION_DATABASE_URL, else the CRM's database."""
    from bot.escalation.settings import EscalationSettings

    return EscalationSettings.from_env().database_url or settings.crm_database_url


def _upgrade_escalations(settings: Settings) -> None:
    """Apply the escalation's own migrations (after the CRM's, in a shared database)."""
    from bot.escalation.db import upgrade_escalation_database

    upgrade_escalation_database(_escalation_database_url(settings))


def _add_agents(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    engine = create_crm_engine(_escalation_database_url(settings))
    try:
        upgrade_database(settings.crm_database_url)
        _upgrade_escalations(settings)
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


def _add_privacy(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    privacy = commands.add_parser("privacy", help="erasure (GDPR Art. 17) and retention")
    actions = privacy.add_subparsers(dest="privacy_command", required=True, metavar="ACTION")
    erase = actions.add_parser("erase", help="erase a customer everywhere; prints the receipt")
    erase.add_argument("customer_number", help="e.g. K-100005")
    erase.set_defaults(handler=_privacy_erase)
    retention = actions.add_parser("retention", help="delete what is past its retention period")
    retention.add_argument("--dry-run", action="store_true", help="only say what would be deleted")
    retention.set_defaults(handler=_privacy_retention)


def _privacy_erase(args: argparse.Namespace, settings: Settings) -> int:
    from bot.privacy.service import UnknownCustomer

    with _privacy_feature(settings) as feature:
        try:
            receipt = feature.service.erase(args.customer_number, "cli")
        except UnknownCustomer as error:
            print(f"bot privacy erase: {error}", file=sys.stderr)
            return 1
    print(json.dumps(receipt, indent=2, ensure_ascii=False))
    return 0


def _privacy_retention(args: argparse.Namespace, settings: Settings) -> int:
    with _privacy_feature(settings) as feature:
        report = feature.service.retention(dry_run=args.dry_run)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


@contextmanager
def _privacy_feature(settings: Settings) -> Iterator[PrivacyFeature]:
    from bot.crm.db import create_crm_engine, create_session_factory, upgrade_database
    from bot.escalation.settings import EscalationSettings
    from bot.privacy.wiring import PrivacyFeature

    escalation = EscalationSettings.from_env()
    engine = create_crm_engine(settings.crm_database_url)
    upgrade_database(engine)
    _upgrade_escalations(settings)
    escalation_engine = (
        create_crm_engine(escalation.database_url) if escalation.database_url else None
    )
    feature = PrivacyFeature.create(
        settings,
        create_session_factory(engine),
        escalation_sessions=(
            create_session_factory(escalation_engine) if escalation_engine is not None else None
        ),
        tracker_store_url=escalation.tracker_store_url,
    )
    try:
        yield feature
    finally:
        feature.close()
        engine.dispose()
        if escalation_engine is not None:
            escalation_engine.dispose()


def _agent_admin(settings: Settings, change: Callable[[AgentAdministration], str]) -> int:
    from bot.crm.db import create_crm_engine, upgrade_database
    from bot.escalation.agent_admin import AgentAdministration, UnknownAgent

    engine = create_crm_engine(_escalation_database_url(settings))
    try:
        upgrade_database(settings.crm_database_url)
        _upgrade_escalations(settings)
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
