"""devctl's Slack client (httpx)."""

from __future__ import annotations

import httpx

TIMEOUT = 10


def _client(base_url: str, token: str) -> httpx.Client:
    return httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT)


def channel_id(base_url: str, token: str, name: str) -> str | None:
    """The id of a public channel, by name."""
    with _client(base_url, token) as client:
        response = client.get(
            "/conversations.list", params={"types": "public_channel", "exclude_archived": "true", "limit": "200"}
        )
    response.raise_for_status()
    return next((c["id"] for c in response.json()["channels"] if c["name"] == name), None)


def recent_messages(base_url: str, token: str, channel: str) -> list[str]:
    """Texts of the latest messages of a channel."""
    with _client(base_url, token) as client:
        response = client.get("/conversations.history", params={"channel": channel, "limit": "20"})
    response.raise_for_status()
    return [message["text"] for message in response.json()["messages"]]


def user_email(base_url: str, token: str, user: str) -> str:
    """A user's e-mail address (users.info takes the token as a query parameter)."""
    with httpx.Client(base_url=base_url, timeout=TIMEOUT) as client:
        response = client.get("/users.info", params={"user": user, "token": token})
    response.raise_for_status()
    return response.json()["user"]["profile"]["email"]


def announce(base_url: str, token: str, channel: str, text: str) -> str:
    """Post a message; returns its timestamp."""
    with _client(base_url, token) as client:
        response = client.post("/chat.postMessage", data={"channel": channel, "text": text})
    response.raise_for_status()
    return response.json()["ts"]
