"""Write var/dev.env: random secrets for the embedded development setup.

The file is read by the Makefile (`VAR ?= value`, so real environment
variables always win). It is created once and never committed.
"""

import secrets
import sys
from pathlib import Path

SECRETS = [
    "CRM_API_TOKEN",
    "ESCALATION_API_TOKEN",
    "RASA_JWT_SECRET",
    "ACTION_SERVER_TOKEN",
    "REST_CHANNEL_TOKEN",
    "CUSTOMER_TOKEN_SECRET",
    "IDENTITY_CLAIM_SECRET",
    "CHAT_SESSION_SECRET",
    "AGENT_TOKEN_SECRET",
    "FACEBOOK_VERIFY_TOKEN",
    "FACEBOOK_APP_SECRET",
    "FACEBOOK_PAGE_ACCESS_TOKEN",
]

target = Path(sys.argv[1] if len(sys.argv) > 1 else "var/dev.env")
if target.exists():
    # A secret added since the file was written is appended; existing ones stay.
    present = {line.split()[0] for line in target.read_text().splitlines() if " ?= " in line}
    missing = [name for name in SECRETS if name not in present]
    if missing:
        with target.open("a") as env_file:
            env_file.writelines(f"{name} ?= {secrets.token_urlsafe(32)}\n" for name in missing)
        print(f"added {', '.join(missing)} to {target}")
    sys.exit(0)
target.parent.mkdir(parents=True, exist_ok=True)
lines = ["# Generated development secrets (make). Real environment variables win."]
lines += [f"{name} ?= {secrets.token_urlsafe(32)}" for name in SECRETS]
target.write_text("\n".join(lines) + "\n")
target.chmod(0o600)
print(f"wrote development secrets to {target}")
