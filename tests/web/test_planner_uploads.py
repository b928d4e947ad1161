"""Uploaded datasets: real files (NH wards, IA counties), bad files refused at their field
with the loader's words, size and zip checks, a plan of an upload equal to the command
line's, and who may see, use and delete an upload."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from secession.web.apps.planner import uploads
from secession.web.apps.planner.models import DataUpload, PlanJob
from secession.web.apps.planner.tasks import execute

from .factories import UserFactory

pytestmark = pytest.mark.django_db

IA = "ia-counties/IA_counties.zip"
NH = "nh-wards/NH.zip"
IA_COLUMNS = {
    "id_col": "GEOID10",
    "leave_col": "PRES16D",
    "stay_col": "PRES16R",
    "population_col": "TOTPOP",
    "name_col": "NAME10",
}


@pytest.fixture(autouse=True)
def _planner_settings(planner_dirs) -> None:
    """Every test here runs with the planner's folders (conftest.planner_dirs)."""


def _client(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def _file(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def _upload(client: Client, **files) -> object:
    return client.post("/plans/uploads/", {"title": "", **files})


def _choose(client: Client, upload: DataUpload, columns: dict) -> object:
    return client.post(f"/plans/uploads/{upload.pk}/", columns)


def test_nh_wards_upload_offers_its_columns_then_reads_320_wards(data_dir):
    owner = UserFactory()
    c = _client(owner)
    r = _upload(c, units=_file(data_dir / NH))
    assert r.status_code == 302
    upload = DataUpload.objects.get(owner=owner)
    assert r["Location"] == f"/plans/uploads/{upload.pk}/"
    assert {"Precinct", "PRES16D", "PRES16R", "TOTPOP"} <= set(upload.header)
    page = c.get(r["Location"]).content.decode()
    assert '<option value="PRES16D">PRES16D</option>' in page  # offered from the header
    stored = uploads.folder(owner.pk, upload.pk)
    assert sorted(p.name for p in stored.iterdir()) == ["units.zip"]  # never extracted
    r = _choose(
        c,
        upload,
        {"id_col": "Precinct", "leave_col": "PRES16D", "stay_col": "PRES16R",
         "population_col": "TOTPOP", "name_col": ""},
    )  # fmt: skip
    assert r.status_code == 302
    upload.refresh_from_db()
    assert upload.ready and upload.n_units == 320


@pytest.mark.django_db(transaction=True)  # the worker closes its connection
def test_a_plan_of_an_uploaded_dataset_equals_the_command_line(data_dir, cli, tmp_path):
    owner = UserFactory()
    c = _client(owner)
    _upload(c, units=_file(data_dir / IA))
    upload = DataUpload.objects.get(owner=owner)
    assert _choose(c, upload, IA_COLUMNS).status_code == 302
    body = {
        "upload": str(upload.pk),
        "constraints": {"min_population": 300000},
        "solver": "exact",
        "seed": 3,
        "time_limit": 300,
    }
    r = c.post("/api/plans", json.dumps(body), content_type="application/json")
    assert r.status_code == 201, r.content
    job_id = r.json()["id"]
    assert execute(job_id) == "done", PlanJob.objects.get(pk=job_id).message
    out = tmp_path / "cli"
    result = cli(
        "plan", "--units", data_dir / IA, "--id-col", "GEOID10", "--leave-col", "PRES16D",
        "--stay-col", "PRES16R", "--population-col", "TOTPOP", "--name-col", "NAME10",
        "--min-population", "300000", "--solver", "exact", "--seed", "3",
        "--time-limit", "300", "--no-maps", "--out", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    from secession.web.apps.planner import storage

    job = PlanJob.objects.get(pk=job_id)
    web = storage.results_root() / job.result_dir
    assert (web / "assignment.csv").read_text() == (out / "assignment.csv").read_text()
    ours = json.loads((web / "summary.json").read_text())
    theirs = json.loads((out / "summary.json").read_text())
    assert ours["satisfied_voters"] == theirs["satisfied_voters"]
    assert ours["proven_optimal"] == theirs["proven_optimal"]

    # Iowa's units are US counties (GEOID10 is the county FIPS code): the new country can
    # found a community whose territory is those counties
    from secession.web.apps.planner.present import new_countries, territories

    offered = territories(job)
    assert [t["unit_ids"].split() for t in offered] == [ids for _, ids in new_countries(job)]
    assert offered and all(t["dataset"] == "us-counties-2020" for t in offered)
    page = c.get(f"/plans/{job_id}/").content.decode()
    assert "Found a community with the territory of new country" in page


def test_a_results_csv_with_boundaries_and_an_id_with_no_boundary(data_dir, tmp_path):
    frame = gpd.read_file(data_dir / IA)[["GEOID10", "PRES16D", "PRES16R", "TOTPOP"]]
    table = tmp_path / "ia.csv"
    frame.to_csv(table, index=False)
    owner = UserFactory()
    c = _client(owner)
    assert _upload(c, results=_file(table), boundaries=_file(data_dir / IA)).status_code == 302
    upload = DataUpload.objects.get(owner=owner)
    assert upload.header == ["GEOID10", "PRES16D", "PRES16R", "TOTPOP"]
    columns = {**IA_COLUMNS, "name_col": ""}
    assert _choose(c, upload, columns).status_code == 302
    upload.refresh_from_db()
    assert upload.ready and upload.n_units == 99

    # one row more, for an id no boundary has: refused at the id field, naming row and id
    with table.open("a") as fh:
        fh.write("19999,10,20,30\n")
    c.post("/plans/uploads/", {"results": _file(table), "boundaries": _file(data_dir / IA)})
    bad = DataUpload.objects.filter(owner=owner, ready=False).get()
    r = _choose(c, bad, columns)
    assert r.status_code == 400
    errors = r.context["form"].errors
    assert list(errors) == ["id_col"]
    message = errors["id_col"][0]
    assert "19999: no boundary has this id (ia.csv:101)" in message
    assert str(tmp_path) not in r.content.decode()  # the server's paths are not shown
    assert not DataUpload.objects.get(pk=bad.pk).ready


def test_a_negative_count_is_refused_at_its_column(data_dir, tmp_path):
    frame = gpd.read_file(data_dir / IA)
    frame["PRES16D"] = frame["PRES16D"].astype("int64")
    frame.loc[3, "PRES16D"] = -5
    path = tmp_path / "ia-negative.gpkg"
    frame.to_file(path)
    owner = UserFactory()
    c = _client(owner)
    assert _upload(c, units=_file(path)).status_code == 302
    upload = DataUpload.objects.get(owner=owner)
    r = _choose(c, upload, IA_COLUMNS)
    assert r.status_code == 400
    [message] = r.context["form"].errors["leave_col"]
    assert "19165 Shelby: PRES16D = " in message and "is negative" in message
    assert "ia-negative.gpkg: feature 3" in message
    assert 'id="id_leave_col_error"' in r.content.decode()  # shown at the field


def test_too_large_a_file_is_refused_with_the_limit(data_dir, settings):
    settings.PLANNER_UPLOAD_MAX_BYTES = 2**20
    owner = UserFactory()
    r = _upload(_client(owner), units=_file(data_dir / NH))
    assert r.status_code == 400
    [message] = r.context["form"].errors["units"]
    size = (data_dir / NH).stat().st_size / 2**20
    assert message == f"NH.zip: {size:.1f} MB is larger than this site's limit of 1.0 MB"
    assert not DataUpload.objects.exists()
    assert not any(Path(settings.PLANNER_UPLOADS_DIR).glob("*/*"))  # nothing kept


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("members", "reason"),
    [
        ({"../evil.shp": b"x", "ok.dbf": b"y"}, "member '../evil.shp' points outside the archive"),
        ({"/etc/evil.shp": b"x"}, "member '/etc/evil.shp' points outside the archive"),
        ({"a/../../b.shp": b"x"}, "member 'a/../../b.shp' points outside the archive"),
        ({"notes.txt": b"x"}, "no shapefile (.shp), GeoPackage or GeoJSON inside"),
    ],
)
def test_a_zip_with_unsafe_names_is_refused_before_anything_is_read(members, reason, settings):
    owner = UserFactory()
    sent = SimpleUploadedFile("evil.zip", _zip(members))
    r = _upload(_client(owner), units=sent)
    assert r.status_code == 400
    assert r.context["form"].errors["units"] == [f"evil.zip: {reason}"]
    assert not DataUpload.objects.exists()
    root = Path(settings.PLANNER_UPLOADS_DIR)
    assert not (root.parent / "evil.shp").exists()
    assert not any(root.glob("*/*"))


def test_a_zip_that_unpacks_too_large_is_refused(settings):
    settings.PLANNER_UPLOAD_MAX_UNZIPPED = 1000
    sent = SimpleUploadedFile("big.zip", _zip({"big.shp": b"0" * 5000}))
    r = _upload(_client(UserFactory()), units=sent)
    assert r.status_code == 400
    [message] = r.context["form"].errors["units"]
    assert message.startswith("big.zip: ") and "once unpacked, more than" in message


def test_only_data_formats_are_kept():
    r = _upload(_client(UserFactory()), units=SimpleUploadedFile("plan.pkl", b"\x80\x04."))
    assert r.status_code == 400
    said = r.context["form"].errors["units"][0]
    assert "plan.pkl: not a file this site reads as one file with geometry and votes" in said
    # the same refusal in the reader's language, at its field
    es = _client(UserFactory()).post(
        "/plans/uploads/",
        {"title": "", "units": SimpleUploadedFile("plan.pkl", b"\x80\x04.")},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert es.status_code == 400
    said = es.context["form"].errors["units"][0]
    assert said.startswith("plan.pkl: no es un archivo que este sitio lea como un archivo con")
    empty = _client(UserFactory()).post(
        "/plans/uploads/",
        {"title": "", "units": SimpleUploadedFile("wards.zip", b"not a zip")},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    said = empty.context["form"].errors["units"][0]
    assert "wards.zip\u00a0: ce n'est pas une archive zip" in said


def test_who_may_see_use_and_delete_an_upload(data_dir, django_capture_on_commit_callbacks):
    owner, other = UserFactory(), UserFactory()
    _upload(_client(owner), units=_file(data_dir / IA))
    upload = DataUpload.objects.get(owner=owner)
    _choose(_client(owner), upload, IA_COLUMNS)
    pk = upload.pk
    # anonymous: sent to log in; another person: 404 (the upload is not named to them)
    for url in ("/plans/uploads/", f"/plans/uploads/{pk}/"):
        assert _client().get(url).status_code == 302
    assert _client().post(f"/plans/uploads/{pk}/delete").status_code == 302
    assert _client(other).get(f"/plans/uploads/{pk}/").status_code == 404
    assert _client(other).post(f"/plans/uploads/{pk}/", IA_COLUMNS).status_code == 404
    assert _client(other).post(f"/plans/uploads/{pk}/delete").status_code == 404
    assert upload.title not in _client(other).get("/plans/uploads/").content.decode()
    # another person cannot plan with it (the API names no such dataset of theirs)
    body = json.dumps({"upload": str(pk)})
    r = _client(other).post("/api/plans", body, content_type="application/json")
    assert r.status_code == 400 and "no uploaded dataset" in r.content.decode()
    assert DataUpload.objects.filter(pk=pk).exists()
    # the owner sees it, and deletes it with its files
    assert _client(owner).get(f"/plans/uploads/{pk}/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert _client(owner).post(f"/plans/uploads/{pk}/delete").status_code == 302
    assert not DataUpload.objects.filter(pk=pk).exists()
    assert not uploads.folder(owner.pk, pk).exists()
