"""Non-data files and attachments through sodapy's file methods."""

import io
from pathlib import Path

import pytest
import requests
from sodapy import Socrata

from sandbox_portal import RunningSandbox
from tests.sandbox import PASSWORD, USERNAME


def test_create_and_replace_a_non_data_file(soda: Socrata, sandbox: RunningSandbox):
    files = {"file": ("gtfs.zip", io.BytesIO(b"PK first"), "application/zip")}

    view = soda.create_non_data_file({"name": "Bus schedules"}, files)
    replaced = soda.replace_non_data_file(
        view["id"], {}, {"file": ("gtfs.zip", io.BytesIO(b"PK second version"), "application/zip")}
    )

    assert view["name"] == "Bus schedules"
    assert view["assetType"] == "file"
    assert view["blobFileSize"] == len(b"PK first")
    assert [r["resource"]["type"] for r in soda.datasets(only=["file"])] == ["file"]
    assert soda.datasets(only=["dataset"]) == []
    assert replaced["id"] == view["id"]
    assert replaced["blobId"] != view["blobId"]
    download = requests.get(f"{sandbox.url}/api/assets/{replaced['blobId']}", timeout=5)
    assert download.content == b"PK second version"
    assert download.headers["Content-Type"] == "application/zip"


def test_a_table_cannot_be_replaced_by_a_file(soda: Socrata, songs: str):
    files = {"file": ("x.csv", io.BytesIO(b"a"), "text/csv")}

    with pytest.raises(requests.HTTPError, match="cannot be replaced by a file"):
        soda.replace_non_data_file(songs, {}, files)


def test_download_attachments_fetches_every_listed_file(
    soda: Socrata, songs: str, sandbox: RunningSandbox, tmp_path: Path
):
    upload = requests.post(
        f"{sandbox.url}/api/assets",
        files={"file": ("dictionary.pdf", b"%PDF data dictionary", "application/pdf")},
        auth=(USERNAME, PASSWORD),
        timeout=5,
    ).json()
    attachment = {"filename": "dictionary.pdf", "assetId": upload["id"], "name": "Dictionary"}
    soda.update_metadata(songs, {"metadata": {"attachments": [attachment]}})

    paths = soda.download_attachments(songs, download_dir=str(tmp_path))

    assert paths == [str(tmp_path / songs / "dictionary.pdf")]
    assert Path(paths[0]).read_bytes() == b"%PDF data dictionary"


def test_uploads_need_credentials(sandbox: RunningSandbox):
    files = {"file": ("x.txt", b"x", "text/plain")}

    response = requests.post(f"{sandbox.url}/api/assets", files=files, timeout=5)

    assert response.status_code == 401
    assert response.json()["error"] is True
