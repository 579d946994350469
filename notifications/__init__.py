"""Outbox and jobs that send WeChat messages."""
