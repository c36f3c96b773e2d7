"""Blind set (written without running vetpy or reading its rules): FastAPI 0.165."""
from fastapi import FastAPI
from fastapi.testclient import TestClient


def case_testclient_json_encoding():
    app = FastAPI()

    @app.get("/")
    def index():
        return {"ok": True}

    with TestClient(app) as client:
        return client.get("/").json(encoding="utf-8")  # HAL: invented-keyword; receiver=kwargs-forward


def case_app_before_request():
    app = FastAPI()

    @app.before_request  # HAL: other-library-idiom; receiver=constructor
    def load_user():
        return None

    return load_user
