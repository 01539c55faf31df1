"""Floor 2, the Bolt listeners, grouped like Slack's starter template: `commands/`, `actions/`,
`views/`, `events/`, `shortcuts/`, each with a `register(app)` that `bot/` calls. A listener
acks, reads and checks the payload, calls one use case and answers.

May import `usecases`, `rendering`, `storage` and `methods`; never `bot`.
"""
