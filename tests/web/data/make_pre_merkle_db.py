"""How tests/web/data/pre_merkle.sql was made: by the code of commit 6dfa099 (the old
hash-chained audit log), as that code's own actions, then dumped as SQL text.

Run from an export of that commit: `git archive 6dfa099 src | tar -x -C /tmp/old`, then
`SECESSION_WEB_DIR=/tmp/data PYTHONPATH=/tmp/old/src python make_pre_merkle_db.py`; it
writes the database it made as SQL (`sqlite3.Connection.iterdump`) beside this file. The
test rebuilds the SQLite file from that text, so no binary database is kept.
"""

# ruff: noqa: E402, I001
import os

os.environ["DJANGO_SETTINGS_MODULE"] = "secession.web.config.settings_dev"
import django

django.setup()
from django.core.management import call_command

call_command("migrate", verbosity=0)
from secession.web.apps.accounts.actions import register_person, issue_token, delete_account
from secession.web.apps.communities.actions import found_community, join_community, leave_community
from secession.web.apps.proposals.actions import make_proposal, cast_vote
from secession.web.apps.communities.starter import STARTER_CONSTITUTION
import secession.web.apps.audit.log as log

assert hasattr(log, "GENESIS"), log.__file__
ada = register_person(username="ada", password="a long passphrase 1")
bob = register_person(username="bob", password="a long passphrase 2")
cy = register_person(username="cy", password="a long passphrase 3")
dee = register_person(username="dee", password="a long passphrase 4")
issue_token(ada, person=ada, name="laptop")
valley = found_community(
    person=ada,
    name="Free Valley",
    kind="town",
    constitution_text=STARTER_CONSTITUTION.format(name="Free Valley", governance="assembly"),
)
for p in (bob, cy, dee):
    join_community(valley, person=p)
trees = make_proposal(valley, person=ada, kind="resolution", title="Plant trees")
for p, c in ((ada, "yes"), (bob, "yes"), (cy, "no"), (dee, "abstain")):
    cast_vote(trees, person=p, choice=c)
go = make_proposal(
    valley,
    person=bob,
    kind="declare_independence",
    title="Leave",
    payload={"from_name": "Old Country"},
)
for p, c in ((ada, "yes"), (bob, "yes"), (cy, "yes"), (dee, "no")):
    cast_vote(go, person=p, choice=c)
text = STARTER_CONSTITUTION.format(name="Free Valley", governance="assembly")
text += "\n6. Wells are shared.\n"
amend = make_proposal(
    valley, person=ada, kind="amend_constitution", title="Wells", payload={"text": text}
)
open_vote = make_proposal(valley, person=cy, kind="resolution", title="Open still")
cast_vote(open_vote, person=bob, choice="no")
for p in (ada, bob, cy, dee):
    cast_vote(amend, person=p, choice="yes")
leave_community(valley, person=dee)
delete_account(dee, person=dee)
print("entries:", log.verify())

import sqlite3
from pathlib import Path

from django.conf import settings

with sqlite3.connect(settings.DATABASES["default"]["NAME"]) as made:
    dump = "\n".join(made.iterdump()) + "\n"
Path(__file__).with_name("pre_merkle.sql").write_text(dump, encoding="utf-8")
