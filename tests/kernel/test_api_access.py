"""Partner API access rules: bad input, keys, rates, methods, CORS, caching."""

import pytest

from kernel.authentication import hash_key, issue_api_key, revoke_api_key
from kernel.models import ApiKey
from tests import factories

pytestmark = pytest.mark.django_db


def _error(response, param):
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["detail"] == "Invalid request parameters."
    assert param in body["errors"], body
    return body["errors"][param][0]


# --- Bad input is a 400 naming the parameter ------------------------------


@pytest.mark.parametrize(
    ("url", "param", "message"),
    [
        ("/api/v1/briefs/?published_after=2024-13-01", "published_after", "date"),
        ("/api/v1/briefs/?published_before=yesterday", "published_before", "date"),
        ("/api/v1/agreements/?signed_after=2024-02-30", "signed_after", "date"),
        ("/api/v1/actors/?member_on=soon", "member_on", "date"),
        ("/api/v1/briefs/?actor=atlantis", "actor", "atlantis"),
        ("/api/v1/agreements/?party=atlantis", "party", "atlantis"),
        ("/api/v1/actors/?member_of=atlantis", "member_of", "atlantis"),
        ("/api/v1/recommendations/?addressee=atlantis", "addressee", "atlantis"),
        ("/api/v1/briefs/?actr=kfor", "actr", "Unknown query parameter"),
        ("/api/v1/briefs/?format=api", "format", "Unknown query parameter"),
        ("/api/v1/briefs/brief/?page=2", "page", "Allowed here: lang."),
        ("/api/v1/briefs/?ordering=secret", "ordering", "Unknown ordering field"),
        ("/api/v1/briefs/?ordering=title,body", "ordering", "'body'"),
        ("/api/v1/briefs/?page_size=101", "page_size", "from 1 to 100"),
        ("/api/v1/briefs/?page_size=0", "page_size", "from 1 to 100"),
        ("/api/v1/briefs/?page_size=ten", "page_size", "from 1 to 100"),
        ("/api/v1/briefs/?page=2", "page", "out of range"),
        ("/api/v1/briefs/?page=last", "page", "whole number"),
        ("/api/v1/briefs/?page=-1", "page", "whole number"),
        ("/api/v1/briefs/?q=%00", "q", "Null characters"),
        ("/api/v1/briefs/?q=" + "x" * 10_000, "q", "at most 200"),
        ("/api/v1/briefs/?actor=%00", "actor", "slug"),
        ("/api/v1/briefs/?actor=" + "k" * 10_000, "actor", "slug"),
        ("/api/v1/briefs/?year=1e400", "year", "whole number"),
        ("/api/v1/briefs/?year=99999", "year", "9999"),
        ("/api/v1/briefs/?kind=pamphlet", "kind", "pamphlet"),
        ("/api/v1/briefs/?q=", "q", "Empty value"),
        ("/api/v1/briefs/?" + "&".join(["actor=a"] * 11), "actor", "at most 10"),
    ],
)
def test_bad_input_is_a_400_naming_the_parameter(client, url, param, message):
    factories.make_brief(slug="brief")

    assert message in _error(client.get(url), param)


def test_unknown_parameter_with_a_nul_in_its_name_is_a_400(client):
    response = client.get("/api/v1/briefs/?a%00b=1")

    assert response.status_code == 400
    assert "a\x00b" in response.json()["errors"]


def test_unknown_item_and_unknown_address_are_json_404s(client):
    for url in [
        "/api/v1/briefs/nope/",
        "/api/v1/briefs/%00/",
        "/api/v1/briefs/" + "x" * 5000 + "/",
        "/api/v1/recommendations/nope-99999999/",
        "/api/v1/nothing/",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json", url
        assert response.json() == {"detail": "Not found."}, url


# --- Read-only ------------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/briefs/",
        "/api/v1/briefs/brief/",
        "/api/v1/people/",
        "/api/v1/actors/",
        "/api/v1/agreements/",
        "/api/v1/recommendations/",
        "/api/v1/topics/",
        "/api/v1/schema/",
        "/api/v1/",
    ],
)
def test_writes_are_405_everywhere(client, method, url):
    factories.make_brief(slug="brief")

    response = getattr(client, method)(url, data={}, content_type="application/json")

    assert response.status_code == 405
    assert response.json()["detail"].startswith("Method")


# --- API keys -------------------------------------------------------------


def test_issued_key_is_stored_only_as_a_hash():
    api_key, key = issue_api_key(name="Partner")

    assert key.startswith(api_key.prefix + ".")
    assert api_key.key_hash == hash_key(key)
    assert key not in api_key.key_hash
    assert ApiKey.objects.filter(key_hash=hash_key(key)).count() == 1


def test_admin_shows_a_new_key_once_and_stores_its_hash(admin_client):
    response = admin_client.post(
        "/admin/kernel/apikey/add/",
        {"name": "Newsroom", "contact": "desk@example.org"},
        follow=True,
    )

    assert response.status_code == 200
    api_key = ApiKey.objects.get()
    messages = [str(m) for m in response.context["messages"]]
    shown = [m for m in messages if "copy it now" in m]
    assert len(shown) == 1
    key = next(w for w in shown[0].split() if w.startswith(api_key.prefix + "."))
    assert api_key.key_hash == hash_key(key)
    assert api_key.created_by.username == "root"
    # Once: the change page and the list never show it again.
    for url in [
        "/admin/kernel/apikey/",
        f"/admin/kernel/apikey/{api_key.pk}/change/",
    ]:
        assert key not in admin_client.get(url).content.decode()


def test_admin_revokes_keys(admin_client, client):
    api_key, key = issue_api_key(name="Partner")

    admin_client.post(
        "/admin/kernel/apikey/",
        {"action": "revoke_selected", "_selected_action": [api_key.pk]},
    )

    api_key.refresh_from_db()
    assert api_key.revoked_at is not None
    assert client.get("/api/v1/briefs/", HTTP_X_API_KEY=key).status_code == 401


def test_requests_with_a_key_are_counted(client):
    api_key, key = issue_api_key(name="Partner")

    client.get("/api/v1/briefs/", HTTP_AUTHORIZATION=f"Api-Key {key}")
    client.get("/api/v1/topics/", HTTP_X_API_KEY=key)

    api_key.refresh_from_db()
    assert api_key.request_count == 2
    assert api_key.last_used_at is not None


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_AUTHORIZATION": "Api-Key nonsense"},
        {"HTTP_AUTHORIZATION": "Api-Key "},
        {"HTTP_X_API_KEY": ""},
        {"HTTP_X_API_KEY": "0000000a." + "a" * 43},  # well-formed, unknown
    ],
)
def test_malformed_or_unknown_key_is_401(client, headers):
    response = client.get("/api/v1/briefs/", **headers)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert response.json()["detail"]


def test_revoked_key_is_401_at_once(client):
    api_key, key = issue_api_key(name="Partner")
    assert client.get("/api/v1/briefs/", HTTP_X_API_KEY=key).status_code == 200

    revoke_api_key(api_key=api_key)

    response = client.get("/api/v1/briefs/", HTTP_X_API_KEY=key)
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid or revoked API key."}


def test_other_authorization_schemes_are_left_alone(client):
    response = client.get("/api/v1/briefs/", HTTP_AUTHORIZATION="Basic dXNlcjpwdw==")

    assert response.status_code == 200


# --- Rate limits ----------------------------------------------------------


def test_anonymous_clients_are_throttled_per_address_with_retry_after(client, settings):
    settings.API_ANON_RATE = "3/min"

    for _ in range(3):
        assert client.get("/api/v1/topics/").status_code == 200
    response = client.get("/api/v1/topics/")

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["detail"].startswith("Request was throttled")
    other = client.get("/api/v1/topics/", REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200


def test_keys_get_their_own_higher_rate_counted_per_key(client, settings):
    settings.API_ANON_RATE = "1/min"
    settings.API_KEY_RATE = "3/min"
    _, key = issue_api_key(name="Partner")
    _, other_key = issue_api_key(name="Other")

    assert client.get("/api/v1/topics/").status_code == 200
    assert client.get("/api/v1/topics/").status_code == 429
    for address in ["192.0.2.1", "192.0.2.2", "192.0.2.3"]:
        response = client.get(
            "/api/v1/topics/", HTTP_X_API_KEY=key, REMOTE_ADDR=address
        )
        assert response.status_code == 200
    # A fourth request with the key is over, from whatever address.
    response = client.get(
        "/api/v1/topics/", HTTP_X_API_KEY=key, REMOTE_ADDR="192.0.2.9"
    )
    assert response.status_code == 429
    assert "Retry-After" in response
    assert client.get("/api/v1/topics/", HTTP_X_API_KEY=other_key).status_code == 200


def test_forwarded_for_is_ignored_unless_from_a_trusted_proxy(client, settings):
    settings.API_ANON_RATE = "1/min"
    settings.TRUSTED_PROXIES = []

    assert (
        client.get("/api/v1/topics/", HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 200
    )
    # A different forged address does not buy a new allowance.
    response = client.get("/api/v1/topics/", HTTP_X_FORWARDED_FOR="2.2.2.2")
    assert response.status_code == 429


def test_behind_a_trusted_proxy_the_rightmost_untrusted_address_counts(
    client, settings
):
    settings.API_ANON_RATE = "1/min"
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = {"REMOTE_ADDR": "10.0.0.2"}

    def get(forwarded):
        return client.get("/api/v1/topics/", HTTP_X_FORWARDED_FOR=forwarded, **proxy)

    assert get("198.51.100.4").status_code == 200
    assert get("198.51.100.5").status_code == 200  # another real client
    # The client prepends a forged address; the proxy appended its real one.
    assert get("203.0.113.99, 198.51.100.4").status_code == 429
    # Two trusted hops: the proxy chain is skipped, the client is found.
    assert get("198.51.100.4, 10.0.0.7").status_code == 429


def test_ipv6_clients_share_a_limit_per_64(client, settings):
    settings.API_ANON_RATE = "1/min"

    assert client.get("/api/v1/topics/", REMOTE_ADDR="2001:db8::1").status_code == 200
    response = client.get("/api/v1/topics/", REMOTE_ADDR="2001:db8::2")
    assert response.status_code == 429


# --- CORS and conditional requests ----------------------------------------


def test_cors_allows_reading_from_any_origin(client):
    response = client.get("/api/v1/briefs/", HTTP_ORIGIN="https://partner.example")

    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/briefs/",
        HTTP_ORIGIN="https://partner.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="x-api-key",
    )
    assert preflight.status_code == 200
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "x-api-key" in preflight["Access-Control-Allow-Headers"]


def test_pages_are_not_cors_enabled(client):
    response = client.get("/briefs/", HTTP_ORIGIN="https://partner.example")

    assert "Access-Control-Allow-Origin" not in response


def test_list_etag_and_304(client):
    factories.make_brief(slug="one")

    first = client.get("/api/v1/briefs/")
    etag = first["ETag"]

    again = client.get("/api/v1/briefs/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    # A new brief changes the list, so the old tag no longer matches.
    factories.make_brief(slug="two")
    changed = client.get("/api/v1/briefs/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_detail_last_modified_and_304(client):
    actor = factories.make_actor(slug="kfor")
    brief = factories.make_brief(slug="one", actors=[actor])

    first = client.get("/api/v1/briefs/one/")
    assert first["Last-Modified"].endswith("GMT")

    same = client.get(
        "/api/v1/briefs/one/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )
    assert same.status_code == 304
    tagged = client.get("/api/v1/briefs/one/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert tagged.status_code == 304
    # Renaming a linked actor changes no published edition: still the same
    # answer. The brief's next edition shows the new name: a new tag.
    actor.name = "Kosovo Force"
    actor.save()
    assert (
        client.get("/api/v1/briefs/one/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code
        == 304
    )
    factories.publish(brief, note="Actor renamed.")
    assert (
        client.get("/api/v1/briefs/one/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code
        == 200
    )


def test_api_root_lists_the_resources(client):
    data = client.get("/api/v1/").json()

    assert sorted(data) == [
        "actors",
        "agreements",
        "briefs",
        "indicators",
        "people",
        "recommendations",
        "topics",
    ]
    assert data["briefs"] == "http://testserver/api/v1/briefs/"
