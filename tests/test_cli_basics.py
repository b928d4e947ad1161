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
