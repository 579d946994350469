"""The official account's server (message push endpoint and commands)."""
