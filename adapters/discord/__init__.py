"""The Discord adapter: mentions, DMs, slash commands and digests through discord.py."""
