"""The ``onetrip`` command line."""


def main() -> None:
    # imported on call: the domains' command modules import citizen_api.cli.runner, and the
    # command tree imports the registry (citizen_api.registry_commands) that lists those modules
    from citizen_api.cli.main import main as run

    run()


__all__ = ["main"]
