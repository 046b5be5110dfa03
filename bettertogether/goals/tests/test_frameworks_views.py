"""The frameworks pages: who may see them, the upload → preview → apply flow, bad uploads,
and the CSV template."""

import pytest
from django.test import Client
from django.urls import reverse

from bettertogether.directory.tests.support import assert_login_redirect
from bettertogether.goals.frameworks.plain_csv import TEMPLATE
from bettertogether.goals.frameworks.structure import MAX_BYTES
from bettertogether.goals.models import Framework

from .frameworks_support import (
    case_package,
    csv_file,
    frameworks_state,
    import_case,
    json_file,
)

VIEWERS = [("admin", 200), ("coach", 200), ("leader", 200), ("teacher", 404),
           ("other_teacher", 404), ("outsider", 404)]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _stored(media) -> list:
    folder = media / "frameworks"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _list(cast):
    return reverse("goals:frameworks", args=[cast.network.pk])


# --- who may see what -----------------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), VIEWERS)
def test_frameworks_page_by_persona(cast, client_for, who, status):
    import_case(cast.network, cast.admin)

    response = client_for(getattr(cast, who)).get(_list(cast))

    assert response.status_code == status
    if status == 200:
        assert [f.title for f in response.context["frameworks"]] == [
            "Riverside Feedback Practices"]
        assert (response.context["form"] is not None) == (who == "admin")
        assert (b"Import a framework" in response.content) == (who == "admin")


@pytest.mark.parametrize(("who", "status"), VIEWERS)
def test_framework_page_by_persona(cast, client_for, who, status):
    framework = import_case(cast.network, cast.admin).framework

    response = client_for(getattr(cast, who)).get(reverse("goals:framework",
                                                          args=[framework.pk]))

    assert response.status_code == status
    if status == 200:
        assert b"Feedback names the success criterion it refers to." in response.content


def test_anonymous_is_sent_to_sign_in(cast):
    framework = import_case(cast.network, cast.admin).framework
    client = Client()

    for url in (_list(cast), reverse("goals:framework", args=[framework.pk]),
                reverse("goals:framework_template")):
        assert_login_redirect(client.get(url), url)


def test_a_school_has_no_frameworks_page(cast, client_for):
    url = reverse("goals:frameworks", args=[cast.school.pk])

    assert client_for(cast.admin).get(url).status_code == 404


@pytest.mark.parametrize(("who", "status"), [("coach", 403), ("leader", 403),
                                             ("teacher", 404), ("outsider", 404)])
def test_only_admins_upload_and_apply(cast, client_for, media, who, status):
    client = client_for(getattr(cast, who))
    before = frameworks_state()

    upload = client.post(_list(cast), {"file": json_file(case_package())})
    apply = client.post(reverse("goals:framework_apply", args=[cast.network.pk]),
                        {"token": "anything"})

    assert (upload.status_code, apply.status_code) == (status, status)
    assert frameworks_state() == before
    assert _stored(media) == []


def test_template_download_is_for_network_admins(cast, client_for):
    url = reverse("goals:framework_template")

    response = client_for(cast.admin).get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode() == TEMPLATE
    assert response.content.startswith(
        b"framework,standard_code,standard,indicator_code,indicator\n")
    assert client_for(cast.coach).get(url).status_code == 404


def test_organisation_page_links_the_frameworks_for_admins(cast, client_for):
    response = client_for(cast.admin).get(reverse("directory:organisation",
                                                  args=[cast.network.pk]))

    assert _list(cast).encode() in response.content


def test_frameworks_pages_are_in_the_schools_section(cast, client_for):
    response = client_for(cast.admin).get(_list(cast))

    assert response.context["active"] == "organisations"


# --- upload, preview, apply -------------------------------------------------------------------


def test_upload_previews_then_apply_imports_once(cast, client_for, media):
    client = client_for(cast.admin)
    before = frameworks_state()

    preview = client.post(_list(cast), {"file": json_file(case_package())})

    assert preview.status_code == 200
    result = preview.context["result"]
    assert result.ok and result.summary.is_new and result.summary.added == 8
    assert b"New framework: Riverside Feedback Practices" in preview.content
    assert b"Apply this import" in preview.content
    assert frameworks_state() == before
    assert len(_stored(media)) == 1

    apply_url = reverse("goals:framework_apply", args=[cast.network.pk])
    applied = client.post(apply_url, {"token": result.token})

    framework = Framework.objects.get()
    assert applied.status_code == 302
    assert applied["Location"] == reverse("goals:framework", args=[framework.pk])
    assert framework.items.count() == 8
    assert _stored(media) == []

    state = frameworks_state()
    again = client.post(apply_url, {"token": result.token}, follow=True)
    assert again.redirect_chain == [(_list(cast), 302)]
    assert b"This preview has been applied already" in again.content
    assert frameworks_state() == state


def test_an_up_to_date_file_previews_as_nothing_to_change(cast, client_for, media):
    import_case(cast.network, cast.admin)

    response = client_for(cast.admin).post(_list(cast), {"file": json_file(case_package())})

    assert response.status_code == 200
    assert b"Nothing to change: the framework is up to date." in response.content
    assert b"Apply this import" not in response.content
    assert _stored(media) == []


def test_a_token_for_another_network_is_refused(cast, client_for, media):
    client = client_for(cast.admin)
    token = client.post(_list(cast), {"file": json_file(case_package())}).context[
        "result"].token
    other = client_for(cast.outsider)

    response = other.post(reverse("goals:framework_apply", args=[cast.outsider_network.pk]),
                          {"token": token})

    assert response.status_code == 403
    assert not Framework.objects.exists()


def test_a_tampered_token_is_refused(cast, client_for, media):
    response = client_for(cast.admin).post(
        reverse("goals:framework_apply", args=[cast.network.pk]), {"token": "x:y:z"},
        follow=True)

    assert b"This preview has expired. Upload the file again." in response.content
    assert not Framework.objects.exists()


@pytest.mark.parametrize(("upload", "message"), [
    (lambda: json_file(b"not json"), "This is not valid JSON"),
    (lambda: csv_file("framework,standard,code\nF,S,1\n"),
     "The first line must be exactly framework,standard_code,standard,indicator_code,"
     "indicator"),
    (lambda: json_file(b"{" + b" " * MAX_BYTES + b"}"),
     "This file is 5.1 MB; the largest framework we accept is 5 MB."),
])
def test_bad_uploads_are_422_with_a_clear_message_and_change_nothing(
        cast, client_for, media, upload, message):
    import_case(cast.network, cast.admin)
    before = frameworks_state()
    file = upload()

    response = client_for(cast.admin).post(_list(cast), {"file": file})

    assert response.status_code == 422
    assert message.encode() in response.content
    assert b"nothing was changed" in response.content
    assert frameworks_state() == before
    assert _stored(media) == []


def test_problems_are_listed_with_where_what_and_how(cast, client_for, media):
    package = case_package()
    del package["CFItems"][3]["fullStatement"]

    response = client_for(cast.admin).post(_list(cast), {"file": json_file(package)})

    assert response.status_code == 422
    assert b"<code>CFItems[3].fullStatement</code>" in response.content
    assert b"fullStatement is required." in response.content
    assert b"1 problem: nothing was changed" in response.content


@pytest.mark.parametrize("data", [{}, {"file": csv_file("", name="empty.csv")}])
def test_no_file_or_an_empty_one_is_422(cast, client_for, media, data):
    response = client_for(cast.admin).post(_list(cast), data)

    assert response.status_code == 422
    assert response.context["form"].errors["file"]
    assert not Framework.objects.exists()

