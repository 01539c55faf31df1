"""Floor 1, the process: the entry point, settings, the app factory, HTTP (Bolt's endpoint and
the web pages), Socket Mode, Add to Slack and the workspaces' tokens, the scheduler with its
leadership, and the job functions (each calls one use case).

May import every floor below: `handlers`, `usecases`, `rendering`, `storage`, `methods`.
Nothing below imports `bot`; it builds the real services the use cases are given.
"""
