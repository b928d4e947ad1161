"""The command line turns user mistakes into messages and exit codes, not tracebacks."""

from secession import __version__


def test_version(cli):
    result = cli("version")
    assert result.exit_code == 0
    assert result.stdout.strip() == __version__


def test_unknown_command_is_a_usage_error(cli):
    result = cli("no-such-command")
    assert result.exit_code == 2
    assert "No such command" in result.output
    assert "Traceback" not in result.output


def test_every_command_has_a_one_line_summary():
    """The command list shows each help's first paragraph: a wrapped one breaks mid-sentence."""
    import click
    import typer.main

    from secession.cli.app import app

    root = typer.main.get_command(app)
    ctx = click.Context(root)
    names = root.list_commands(ctx)
    assert {"plan", "scenario", "referendum", "map", "world-map", "publish"} <= set(names)
    for name in names:
        summary = (root.get_command(ctx, name).help or "").split("\n\n")[0].strip()
        assert summary, f"{name} has no help"
        assert "\n" not in summary, f"{name}'s summary is wrapped: {summary!r}"
