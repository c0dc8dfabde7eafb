"""The Slack adapter: slash commands, mentions, DMs and digests through slack-bolt."""
