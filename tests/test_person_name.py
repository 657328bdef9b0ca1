"""A user's name is written as Vietnamese writes it, family name first, wherever the site names a user
(the header, the histories, the exports' title lines, the reminders); the username when no name is recorded."""

from django.contrib.auth import get_user_model
from django.template import Context, Template

from common.formatting import person_name


def test_the_family_name_comes_first_and_the_username_stands_in_for_no_name(db):
    users = get_user_model()
    named = users(username="thao", first_name="Phương Thảo", last_name="Nguyễn Thị")
    nameless = users(username="canbo01")
    given_only = users(username="an", first_name=" An ")

    assert person_name(named) == "Nguyễn Thị Phương Thảo"
    assert named.get_full_name() == "Phương Thảo Nguyễn Thị"  # Django's order, which the site does not use
    assert person_name(nameless) == "canbo01"
    assert person_name(given_only) == "An"
    assert person_name(None) == ""
    assert Template("{% load vn %}{{ user|person }}").render(Context({"user": named})) == "Nguyễn Thị Phương Thảo"


def test_the_header_names_the_signed_in_user_family_name_first(client, db):
    users = get_user_model()
    user = users.objects.create_user(
        "thao", password="x-very-long-pass-2024", first_name="Phương Thảo", last_name="Nguyễn Thị"
    )
    client.force_login(user)

    page = client.get("/").content.decode()

    assert '<span class="account__name" title="Nguyễn Thị Phương Thảo">Nguyễn Thị Phương Thảo</span>' in page
