"""Bolt listeners, grouped like Slack's starter template: `commands/`, `actions/`, `views/`,
`events/`, each with a `register(app)`; `blocks/` builds the Block Kit they send."""
