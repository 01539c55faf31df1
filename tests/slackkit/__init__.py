"""A Slack test kit: a fake Web API and correctly signed requests to the bot over real HTTP."""
