"""Tests for a Flask URL shortener (task: POST /shorten returns a code; GET /<code> redirects)."""
import pytest

from shortener.app import create_app
from shortener.codes import make_code


@pytest.fixture
def client():
    app = create_app({"TESTING": True})
    with app.test_client() as client:
        yield client


def test_shorten_returns_code(client):
    response = client.post("/shorten", json={"url": "https://example.com"})
    assert response.status_code == 201
    assert "code" in response.get_json()


def test_shorten_rejects_missing_url(client):
    response = client.post("/shorten", json={})
    assert response.status_code == 400


def test_redirect(client):
    code = client.post("/shorten", json={"url": "https://example.com"}).get_json()["code"]
    response = client.get(f"/{code}")
    assert response.status_code == 302
    assert response.headers["Location"] == "https://example.com"


def test_unknown_code(client):
    response = client.get("/doesnotexist")


def test_code_length():
    code = make_code("https://example.com")
    assert len(code) == 7


def test_code_is_deterministic():
    assert make_code("https://example.com") == make_code("https://example.com")


def test_make_code():
    assert make_code("https://a.example") == make_code("https://a.example")


def test_shorten_twice_gives_same_code(client):
    first = client.post("/shorten", json={"url": "https://example.com"}).get_json()["code"]
    second = client.post("/shorten", json={"url": "https://example.com"}).get_json()["code"]
    assert first == second


def test_invalid_url(client):
    response = client.post("/shorten", json={"url": "not a url"})
    assert "error"


def test_stats_endpoint(client):
    client.post("/shorten", json={"url": "https://example.com"})
    stats = client.get("/stats").get_json()
    assert stats["count"] == 1


def test_smoke_index(client):
    client.get("/")
