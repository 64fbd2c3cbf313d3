"""Server-side set-up of a multi-worker deployment: a flow run whose worker died is marked Crashed
(Prefect's documented "zombie flows" automation, driven by flow-run heartbeats, which workers emit
with ``PREFECT_FLOWS_HEARTBEAT_FREQUENCY``), so its nationwide run sees it end and a retry can take it
again."""

from __future__ import annotations

from datetime import timedelta


NAME = "gongkai: crash flow runs whose heartbeats stopped"
SILENCE_S = 75  # heartbeats every 30 s (the least Prefect allows): two missed, and a margin


def ensure(silence_s: float = SILENCE_S) -> None:
    """Create the automation (once)."""
    from prefect.automations import Automation
    from prefect.client.schemas.objects import StateType
    from prefect.events.actions import ChangeFlowRunState
    from prefect.events.schemas.automations import EventTrigger, Posture
    from prefect.events.schemas.events import ResourceSpecification

    try:
        Automation.read(name=NAME)
        return
    except ValueError:  # not there yet
        pass
    Automation(
        name=NAME,
        trigger=EventTrigger(
            after={"prefect.flow-run.heartbeat"},
            expect={
                "prefect.flow-run.heartbeat",
                "prefect.flow-run.Completed",
                "prefect.flow-run.Failed",
                "prefect.flow-run.Cancelled",
                "prefect.flow-run.Crashed",
            },
            match=ResourceSpecification({"prefect.resource.id": ["prefect.flow-run.*"]}),
            for_each={"prefect.resource.id"},
            posture=Posture.Proactive,
            threshold=1,
            within=timedelta(seconds=silence_s),
        ),
        actions=[ChangeFlowRunState(state=StateType.CRASHED, message="no heartbeat: its worker or machine stopped")],
    ).create()
