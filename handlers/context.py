"""What a listener reads from Bolt's context: the use cases' services for the workspace the
request acts in (put there by the process's middleware)."""

from __future__ import annotations

from slack_bolt import BoltContext

from usecases.services import Services


def services_of(context: BoltContext) -> Services:
    services: Services = context["services"]
    return services
