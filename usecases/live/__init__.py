"""The live session: the bot chairs and keeps time. Every case runs through its method's phases
in a thread; the database holds where each run is, the scheduler wakes the run at its next
moment, and every message is sent under a unique key, so a restart loses no prompt and posts
none twice.

`opening` starts a meeting, `state` knows where a run is and when it next needs the bot,
`steps` turns the phase engine's steps into outbox messages, `outbox` sends them (and starts
the next case), `moving_on` wakes runs and applies the controls, `replies` takes what members
add.
"""
