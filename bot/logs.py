"""The process's log: readable lines by default, one JSON object per line with LOG_FORMAT=json.

Log lines carry ids (workspace, group, case run, meeting), never content: what members wrote
is never passed to a logger, and database errors carry no statement parameters."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

# Ids a log call may add with `extra=`; JSON lines carry them as fields of their own.
ID_FIELDS = ("team", "group", "run", "meeting")


class JsonLines(logging.Formatter):
    """time, level, logger, message, the ids given, and the exception's traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in ID_FIELDS:
            value = getattr(record, name, None)
            if isinstance(value, str | int):
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def configure_logging(level: str, form: str = "text") -> None:
    handler = logging.StreamHandler()
    if form == "json":
        handler.setFormatter(JsonLines())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])
    # Library debug output includes payloads and query parameters, which may hold confidential
    # cases: those loggers stay at INFO or quieter. APScheduler says INFO for every run of every
    # job (several a second), so it only speaks up for warnings.
    quiet = max(logging.INFO, logging.getLevelName(level))
    # Bolt's own loggers copy the level of the app's logger ("slack_bolt.App"), so it is set
    # explicitly rather than inherited.
    for library in ("slack_bolt", "slack_bolt.App", "slack_sdk", "urllib3", "waitress"):
        logging.getLogger(library).setLevel(quiet)
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, quiet))
    logging.getLogger("sqlalchemy").setLevel(max(logging.WARNING, quiet))
